/**
 * jpull's library: pulls container images through a node's mirror configuration with per-request failover.
 *
 * <p>{@code dev.jpull} is the API ({@link dev.jpull.Jpull} and the values it takes and returns);
 * {@code dev.jpull.spi} holds the seams a caller may implement (plan sources, credential sources, destinations).
 * Everything under {@code dev.jpull.internal} is the implementation and is not exported.
 */
module dev.jpull {
    requires okhttp3;
    requires com.fasterxml.jackson.databind;
    requires com.fasterxml.jackson.dataformat.toml;
    requires org.yaml.snakeyaml;
    requires jdk.httpserver;

    exports dev.jpull;
    exports dev.jpull.spi;

    // Jackson binds JSON to these packages' records by reflection.
    opens dev.jpull.internal.archive to com.fasterxml.jackson.databind;
    opens dev.jpull.internal.auth to com.fasterxml.jackson.databind;
    opens dev.jpull.internal.config to com.fasterxml.jackson.databind;
    opens dev.jpull.internal.diagnose to com.fasterxml.jackson.databind;
    opens dev.jpull.internal.oci to com.fasterxml.jackson.databind;
    opens dev.jpull.internal.registry to com.fasterxml.jackson.databind;
    opens dev.jpull.internal.store to com.fasterxml.jackson.databind;
}
