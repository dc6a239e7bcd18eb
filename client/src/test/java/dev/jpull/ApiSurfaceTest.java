package dev.jpull;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The library's front door: only the API packages are exported, and no API signature names another type. */
class ApiSurfaceTest {
    private static final Set<String> API_PACKAGES = Set.of("dev.jpull", "dev.jpull.spi");

    @Test
    void theModuleExportsOnlyTheApiPackages() throws IOException {
        try (InputStream in = Jpull.class.getResourceAsStream("/module-info.class")) {
            assertThat(in).as("module-info.class of the client").isNotNull();
            ModuleDescriptor module = ModuleDescriptor.read(in);
            assertThat(module.name()).isEqualTo("dev.jpull");
            assertThat(module.exports()).allSatisfy(e -> assertThat(e.isQualified()).isFalse())
                    .extracting(ModuleDescriptor.Exports::source)
                    .containsExactlyInAnyOrderElementsOf(API_PACKAGES);
            assertThat(module.opens()).allSatisfy(o -> assertThat(o.targets())
                    .containsExactly("com.fasterxml.jackson.databind"));
        }
    }

    @Test
    void noPublicSignatureOfTheApiNamesAnInternalOrThirdPartyType() throws Exception {
        Set<String> offenders = new TreeSet<>();
        List<Class<?>> api = apiClasses();
        assertThat(api).extracting(Class::getSimpleName).contains("Jpull", "PullResult", "PullListener",
                "RegistriesConfig", "EndpointPlan", "DiagnosisReport", "Printable", "PlanSource");
        for (Class<?> c : api) {
            List<Type> types = new ArrayList<>();
            if (c.getGenericSuperclass() != null) {
                types.add(c.getGenericSuperclass());
            }
            types.addAll(List.of(c.getGenericInterfaces()));
            for (Method m : c.getDeclaredMethods()) {
                if (visible(m.getModifiers()) && !m.isSynthetic()) {
                    signature(m, types);
                    types.add(m.getGenericReturnType());
                }
            }
            for (Constructor<?> k : c.getDeclaredConstructors()) {
                if (visible(k.getModifiers()) && !k.isSynthetic()) {
                    signature(k, types);
                }
            }
            for (Field f : c.getDeclaredFields()) {
                if (visible(f.getModifiers()) && !f.isSynthetic()) {
                    types.add(f.getGenericType());
                }
            }
            for (Type t : types) {
                for (Class<?> named : named(t)) {
                    if (!allowed(named)) {
                        offenders.add(c.getName() + " -> " + named.getName());
                    }
                }
            }
        }
        assertThat(offenders).as("API signatures naming non-API types").isEmpty();
    }

    private static boolean visible(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    private static void signature(Executable e, List<Type> into) {
        into.addAll(List.of(e.getGenericParameterTypes()));
        into.addAll(List.of(e.getGenericExceptionTypes()));
    }

    private static boolean allowed(Class<?> c) {
        return c.isPrimitive() || c.getName().startsWith("java.") || API_PACKAGES.contains(c.getPackageName());
    }

    private static List<Class<?>> named(Type t) {
        List<Class<?>> out = new ArrayList<>();
        if (t instanceof Class<?> c) {
            while (c.isArray()) {
                c = c.getComponentType();
            }
            out.add(c);
        } else if (t instanceof ParameterizedType p) {
            out.addAll(named(p.getRawType()));
            for (Type a : p.getActualTypeArguments()) {
                out.addAll(named(a));
            }
        } else if (t instanceof WildcardType w) {
            Stream.of(w.getUpperBounds()).forEach(b -> out.addAll(named(b)));
            Stream.of(w.getLowerBounds()).forEach(b -> out.addAll(named(b)));
        } else if (t instanceof GenericArrayType g) {
            out.addAll(named(g.getGenericComponentType()));
        } else if (t instanceof TypeVariable<?> v) {
            Stream.of(v.getBounds()).forEach(b -> out.addAll(named(b)));
        }
        return out;
    }

    /** Every public class (top-level or nested) of the API packages, read from the compiled classes. */
    private static List<Class<?>> apiClasses() throws IOException, URISyntaxException, ClassNotFoundException {
        Path root = Path.of(Jpull.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<Class<?>> out = new ArrayList<>();
        for (String pkg : API_PACKAGES) {
            Path dir = root.resolve(pkg.replace('.', '/'));
            List<String> names;
            try (Stream<Path> files = Files.list(dir)) {
                names = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".class"))
                        .map(n -> pkg + "." + n.substring(0, n.length() - ".class".length()))
                        .collect(Collectors.toList());
            }
            for (String name : names) {
                Class<?> c = Class.forName(name, false, ApiSurfaceTest.class.getClassLoader());
                if (Modifier.isPublic(c.getModifiers()) && !c.isSynthetic() && !c.isAnonymousClass()
                        && isReachable(c)) {
                    out.add(c);
                }
            }
        }
        return out;
    }

    /** A nested class counts when every enclosing class is public too. */
    private static boolean isReachable(Class<?> c) {
        for (Class<?> e = c.getEnclosingClass(); e != null; e = e.getEnclosingClass()) {
            if (!Modifier.isPublic(e.getModifiers())) {
                return false;
            }
        }
        return true;
    }
}
