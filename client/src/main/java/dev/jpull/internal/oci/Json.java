package dev.jpull.internal.oci;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategy;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.cfg.MapperConfig;
import com.fasterxml.jackson.databind.introspect.AnnotatedField;
import com.fasterxml.jackson.databind.introspect.AnnotatedMethod;
import com.fasterxml.jackson.databind.introspect.AnnotatedParameter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import dev.jpull.internal.http.ErrorBody;
import java.util.Map;

/**
 * The one Jackson {@link ObjectMapper} of jpull. Building a mapper and its (de)serializers costs a short CLI run
 * ~0.08 s of CPU, so a pull does without it: its JSON documents are trees ({@link JsonTrees}) and the store's
 * {@code index.json} is {@link IndexCodec}'s. What still binds through the mapper is off the pull path (archives,
 * inspect, tag lists, auth-file writes). Every user shares this one; a mapper is thread-safe once configured. Never
 * reconfigure it: use {@code readerFor}/{@code writer...} views for other settings. Created on first use.
 *
 * <p>Data binding is strict, as Go's {@code encoding/json} (which containerd reads the same files with) is: no
 * string, fraction or boolean becomes a number ({@code "size":"12"}, {@code 12.5}), no number or boolean becomes a
 * string, and {@code null} is no primitive. Manifests from registries do not go through data binding at all (see
 * {@link ManifestParser}); this covers what is bound (an archive's {@code index.json} and manifests, inspect
 * output); {@link IndexCodec} reads the store's {@code index.json} as strictly.
 *
 * <p>No annotation is read ({@link MapperFeature#USE_ANNOTATIONS} off): what the wire types need (unknown fields
 * ignored, which fields are left out when empty, the {@code os.version} and {@code os.features} names) is configured
 * here, per type. Reading annotations makes the JVM define a proxy class per annotation type at run time, which no
 * class-data archive holds (~0.02 s of a small pull's CPU).
 */
public final class Json {
    /** The shared mapper. */
    public static final ObjectMapper MAPPER = strict(wireTypes(JsonMapper.builder()
            .disable(MapperFeature.USE_ANNOTATIONS).propertyNamingStrategy(new WireNames()).build()));

    /** Record components whose JSON name is no Java name. */
    private static final Map<String, String> PLATFORM_NAMES = Map.of("osVersion", "os.version",
            "osFeatures", "os.features");

    private Json() {
    }

    private static ObjectMapper wireTypes(ObjectMapper mapper) {
        JsonIgnoreProperties.Value ignoreUnknown = JsonIgnoreProperties.Value.forIgnoreUnknown(true);
        for (Class<?> type : new Class<?>[] {Platform.class, ImageManifest.class, Descriptor.class, ImageIndex.class,
            ErrorBody.class, ErrorBody.Entry.class}) {
            mapper.configOverride(type).setIgnorals(ignoreUnknown);
        }
        include(mapper, Platform.class, JsonInclude.Include.NON_NULL);
        include(mapper, ImageIndex.class, JsonInclude.Include.NON_NULL);
        include(mapper, Descriptor.class, JsonInclude.Include.NON_EMPTY);
        return mapper;
    }

    /** What {@code @JsonInclude(include)} on {@code type} would do. */
    private static void include(ObjectMapper mapper, Class<?> type, JsonInclude.Include include) {
        mapper.configOverride(type).setInclude(JsonInclude.Value.construct(include, include));
    }

    /** {@link Platform}'s two dotted names; every other property keeps its Java name. */
    private static final class WireNames extends PropertyNamingStrategy {
        private static final long serialVersionUID = 1L;

        @Override
        public String nameForField(MapperConfig<?> config, AnnotatedField field, String name) {
            return rename(field.getDeclaringClass(), name);
        }

        @Override
        public String nameForGetterMethod(MapperConfig<?> config, AnnotatedMethod method, String name) {
            return rename(method.getDeclaringClass(), name);
        }

        @Override
        public String nameForSetterMethod(MapperConfig<?> config, AnnotatedMethod method, String name) {
            return rename(method.getDeclaringClass(), name);
        }

        @Override
        public String nameForConstructorParameter(MapperConfig<?> config, AnnotatedParameter parameter,
                String name) {
            return rename(parameter.getDeclaringClass(), name);
        }

        private static String rename(Class<?> type, String name) {
            return type == Platform.class ? PLATFORM_NAMES.getOrDefault(name, name) : name;
        }
    }

    private static ObjectMapper strict(ObjectMapper mapper) {
        mapper.configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true);
        mapper.configure(DeserializationFeature.ACCEPT_FLOAT_AS_INT, false);
        for (LogicalType type : new LogicalType[] {LogicalType.Integer, LogicalType.Float, LogicalType.Boolean}) {
            mapper.coercionConfigFor(type)
                    .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        }
        mapper.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        return mapper;
    }
}
