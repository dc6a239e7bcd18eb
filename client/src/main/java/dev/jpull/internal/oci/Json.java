package dev.jpull.internal.oci;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;

/**
 * The one Jackson {@link ObjectMapper} of jpull. Building a mapper costs tens of milliseconds of a short CLI run, so
 * every reader and writer shares this one; a mapper is thread-safe once configured. Never reconfigure it: use
 * {@code readerFor}/{@code writer...} views for other settings. Created on first use, so code paths without JSON
 * do not pay for it.
 *
 * <p>Data binding is strict, as Go's {@code encoding/json} (which containerd reads the same files with) is: no
 * string, fraction or boolean becomes a number ({@code "size":"12"}, {@code 12.5}), no number or boolean becomes a
 * string, and {@code null} is no primitive. Manifests from registries do not go through data binding at all (see
 * {@link ManifestParser}); this covers what is bound: the store's {@code index.json} and registry error bodies.
 */
public final class Json {
    /** The shared mapper. */
    public static final ObjectMapper MAPPER = strict(new ObjectMapper());

    private Json() {
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
