package dev.jpull.containerd.internal;

/** The media types containerd tells apart for refs and garbage-collection labels ({@code images.ChildGCLabels}). */
final class MediaTypes {
    static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";

    private MediaTypes() {
    }

    static boolean isManifest(String mt) {
        return DOCKER_MANIFEST.equals(mt) || OCI_MANIFEST.equals(mt);
    }

    static boolean isIndex(String mt) {
        return DOCKER_LIST.equals(mt) || OCI_INDEX.equals(mt);
    }

    static boolean isLayer(String mt) {
        return mt.startsWith("application/vnd.oci.image.layer.")
                || mt.startsWith("application/vnd.docker.image.rootfs.")
                || mt.startsWith("application/vnd.docker.image.layer.");
    }

    static boolean isConfig(String mt) {
        return "application/vnd.oci.image.config.v1+json".equals(mt)
                || "application/vnd.docker.container.image.v1+json".equals(mt)
                || "application/octet-stream".equals(mt);
    }
}
