package dev.jpull;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The library's exceptions name causes; what a caller does about them (the CLI's exit codes) is not theirs to say.
 */
class JpullExceptionTest {
    @Test
    void noExceptionOfTheLibraryExposesAnExitCode() throws Exception {
        List<Class<?>> exceptions = exceptionClasses();
        assertThat(exceptions).as("every Throwable of dev.jpull and dev.jpull.internal.*")
                .contains(JpullException.class, ConfigException.class, StoreException.class);
        List<String> offenders = new ArrayList<>();
        for (Class<?> c : exceptions) {
            for (Class<?> k = c; k != Throwable.class; k = k.getSuperclass()) {
                for (Method m : k.getDeclaredMethods()) {
                    String name = m.getName().toLowerCase(Locale.ROOT);
                    if (name.contains("exit") || name.contains("usage")) {
                        offenders.add(c.getName() + "." + m.getName());
                    }
                }
            }
        }
        assertThat(offenders).isEmpty();
    }

    @Test
    void theApiExceptionsAreNamedByCause() throws Exception {
        List<String> api = exceptionClasses().stream()
                .filter(c -> c.getPackageName().equals("dev.jpull") && Modifier.isPublic(c.getModifiers()))
                .map(Class::getSimpleName).sorted().toList();
        assertThat(api).containsExactly("ArchiveException", "ConfigException", "CredentialsException",
                "DestinationException", "JpullException", "LoginFailedException", "NoSuchImageException",
                "PullFailedException",
                "ReferenceException", "StoreException");
        assertThat(JpullException.class.getSuperclass()).isEqualTo(RuntimeException.class);
        assertThat(Modifier.isAbstract(JpullException.class.getModifiers())).isTrue();
        for (Class<?> c : List.of(ConfigException.class, CredentialsException.class, ReferenceException.class,
                PullFailedException.class, DestinationException.class, ArchiveException.class,
                LoginFailedException.class)) {
            assertThat(c.getSuperclass()).as(c.getSimpleName()).isEqualTo(JpullException.class);
        }
        assertThat(StoreException.class.getSuperclass()).isEqualTo(DestinationException.class);
        assertThat(NoSuchImageException.class.getSuperclass()).isEqualTo(DestinationException.class);
    }

    @Test
    void aConfigProblemOutsideAFileHasNoFile() {
        ConfigException e = new ConfigException("HTTPS_PROXY is not a valid proxy URL");

        assertThat(e.file()).isNull();
        assertThat(e.line()).isZero();
        assertThat(e.column()).isZero();
        assertThat(e.getMessage()).isEqualTo("HTTPS_PROXY is not a valid proxy URL");
        assertThat(new ConfigException(Path.of("r.yaml"), 3, 7, "bad").getMessage()).isEqualTo("r.yaml:3:7: bad");
    }

    /** Every class of the library (main classes) that is a {@link Throwable}. */
    private static List<Class<?>> exceptionClasses() throws Exception {
        Path root = Path.of(Jpull.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<Class<?>> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root.resolve("dev/jpull"))) {
            for (Path p : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".class"))::iterator) {
                String rel = root.relativize(p).toString().replace('/', '.');
                String name = rel.substring(0, rel.length() - ".class".length());
                if (name.endsWith("module-info")) {
                    continue;
                }
                Class<?> c = Class.forName(name, false, JpullExceptionTest.class.getClassLoader());
                if (Throwable.class.isAssignableFrom(c)) {
                    out.add(c);
                }
            }
        }
        return out;
    }
}
