package dev.jpull.containerd.internal;

import dev.jpull.ImageReference;
import dev.jpull.containerd.internal.api.images.CreateImageRequest;
import dev.jpull.containerd.internal.api.images.Image;
import dev.jpull.containerd.internal.api.images.UpdateImageRequest;
import dev.jpull.containerd.internal.api.types.Descriptor;
import dev.jpull.spi.BlobDescriptor;
import dev.jpull.spi.PulledImage;
import dev.jpull.spi.PulledIndex;
import com.google.protobuf.FieldMask;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Records a pulled image in containerd as containerd's CRI plugin records its own pulls (containerd 1.6 to 2.x,
 * {@code pkg/cri/server/image_pull.go}): the indexes are stored; every parent gets the garbage-collection labels
 * that reference its children ({@code containerd.io/gc.ref.content.m.<i>} on an index,
 * {@code ...content.config} and {@code ...content.l.<i>} on a manifest, as {@code images.ChildGCLabels} names
 * them); every blob gets {@code containerd.io/distribution.source.<registry>=<repository>}; and the image is named
 * three times with the top-level descriptor (the index of a multi-platform tag) as target and the label
 * {@code io.cri-containerd.image=managed}: the reference ({@code docker.io/library/alpine:3.20}), the repo digest
 * ({@code docker.io/library/alpine@sha256:<top>}) and the image ID ({@code sha256:<config>}), so that
 * {@code crictl images} lists it as if kubelet had pulled it.
 */
final class ImageRecorder {
    static final String CRI_LABEL = "io.cri-containerd.image";
    static final String CRI_MANAGED = "managed";
    private static final String GC_CONTENT = "containerd.io/gc.ref.content.";
    private static final String SOURCE = "containerd.io/distribution.source.";

    private final Connection connection;
    private final Lease lease;
    private final ContentStore content;

    ImageRecorder(Connection connection, Lease lease, ContentStore content) {
        this.connection = connection;
        this.lease = lease;
        this.content = content;
    }

    /** Stores the indexes and labels every blob; the image records follow with {@link #name}. */
    void storeAndLabel(PulledImage image) {
        for (PulledIndex index : image.indexes()) {
            store(index);
        }
        ImageReference ref = ImageReference.parse(image.reference());
        // every blob's labels, so that each gets one update: GC references on the parents, the source on all
        Map<String, Map<String, String>> labels = new LinkedHashMap<>();
        for (PulledIndex index : image.indexes()) {
            labels.put(index.index().digest(), childLabels(index.manifests()));
        }
        Map<String, String> manifestLabels = new LinkedHashMap<>();
        manifestLabels.put(GC_CONTENT + "config", image.config().digest());
        for (int i = 0; i < image.layers().size(); i++) {
            manifestLabels.put(GC_CONTENT + "l." + i, image.layers().get(i).digest());
        }
        labels.put(image.manifest().digest(), manifestLabels);
        labels.putIfAbsent(image.config().digest(), new LinkedHashMap<>());
        image.layers().forEach(l -> labels.putIfAbsent(l.digest(), new LinkedHashMap<>()));
        labels.forEach((digest, own) -> {
            Map<String, String> all = new LinkedHashMap<>(own);
            all.putAll(source(digest, ref));
            content.label(digest, all);
        });
    }

    /** Gives the image the names a CRI pull gives it, all with {@code image.top()} as target. */
    void name(PulledImage image) {
        ImageReference ref = ImageReference.parse(image.reference());
        BlobDescriptor top = image.top();
        Set<String> names = new LinkedHashSet<>();
        names.add(ref.toString());
        names.add(ref.name() + "@" + top.digest());
        names.add(image.config().digest());
        Descriptor target = Descriptor.newBuilder().setMediaType(top.mediaType() == null ? "" : top.mediaType())
                .setDigest(top.digest()).setSize(top.size()).build();
        for (String name : names) {
            createOrUpdate(Image.newBuilder().setName(name).setTarget(target).putLabels(CRI_LABEL, CRI_MANAGED)
                    .build());
        }
    }

    private void createOrUpdate(Image image) {
        try {
            connection.images().create(CreateImageRequest.newBuilder().setImage(image).build());
        } catch (StatusRuntimeException e) {
            if (!Errors.is(e, Status.Code.ALREADY_EXISTS)) {
                throw Errors.failed(connection, "recording the image " + image.getName(), e);
            }
            try {
                connection.images().update(UpdateImageRequest.newBuilder().setImage(image)
                        .setUpdateMask(FieldMask.newBuilder().addPaths("target").addPaths("labels." + CRI_LABEL))
                        .build());
            } catch (StatusRuntimeException u) {
                throw Errors.failed(connection, "updating the image " + image.getName(), u);
            }
        }
    }

    private void store(PulledIndex index) {
        BlobDescriptor blob = index.index();
        if (content.info(blob.digest()).isPresent()) {
            lease.keepContent(blob.digest());
            return;
        }
        try (ContentWriter writer = ContentWriter.open(connection, lease.current(), blob)) {
            if (writer.offset() == blob.size() && blob.digest().equals(writer.digest())) {
                writer.commit(blob.digest(), blob.size());
                return;
            }
            if (writer.offset() > 0) {
                writer.truncate();
            }
            byte[] bytes = index.bytes();
            writer.write(bytes, 0, bytes.length);
            writer.commit(blob.digest(), blob.size());
        }
    }

    /** {@code images.ChildGCLabels}: manifests are {@code m.<i>}, other children (nested indexes) {@code <i>}. */
    static Map<String, String> childLabels(List<BlobDescriptor> children) {
        Map<String, String> labels = new LinkedHashMap<>();
        Map<String, Integer> counters = new HashMap<>();
        for (BlobDescriptor child : children) {
            String key = MediaTypes.isManifest(String.valueOf(child.mediaType())) ? GC_CONTENT + "m." : GC_CONTENT;
            int i = counters.merge(key, 1, Integer::sum) - 1;
            labels.put(key + i, child.digest());
        }
        return labels;
    }

    private Map<String, String> source(String digest, ImageReference ref) {
        String key = SOURCE + ref.registry();
        Set<String> repos = new TreeSet<>();
        content.info(digest).map(i -> i.getLabelsMap().get(key)).filter(v -> !v.isEmpty())
                .ifPresent(v -> repos.addAll(List.of(v.split(","))));
        repos.add(ref.repository());
        return Map.of(key, String.join(",", repos));
    }
}
