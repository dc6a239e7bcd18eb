package dev.jpull.containerd.internal;

import dev.jpull.ImageReference;
import dev.jpull.ImageSummary;
import dev.jpull.NoSuchImageException;
import dev.jpull.RemovedImage;
import dev.jpull.containerd.internal.api.images.DeleteImageRequest;
import dev.jpull.containerd.internal.api.images.GetImageRequest;
import dev.jpull.containerd.internal.api.images.Image;
import dev.jpull.containerd.internal.api.images.ListImagesRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.List;

/** The namespace's image records: listing ({@link ImageLister}) and removal. */
public final class Images {
    private final Connection connection;
    private final ContentStore content;

    public Images(Connection connection) {
        this.connection = connection;
        this.content = new ContentStore(connection, new Lease(connection));
    }

    public List<ImageSummary> list() {
        return new ImageLister(connection, content).list();
    }

    public RemovedImage remove(String image) {
        String name = image.startsWith("sha256:") ? image : ImageReference.parse(image).toString();
        Image found;
        try {
            found = connection.images().get(GetImageRequest.newBuilder().setName(name).build()).getImage();
        } catch (StatusRuntimeException e) {
            if (Errors.is(e, Status.Code.NOT_FOUND)) {
                throw new NoSuchImageException("no image " + name + " in namespace " + connection.namespace()
                        + " of containerd at " + connection.socket() + " (see: jpull images --containerd)");
            }
            throw Errors.failed(connection, "looking up the image " + name, e);
        }
        delete(name);
        String target = found.getTarget().getDigest();
        List<Image> rest;
        try {
            rest = connection.images().list(ListImagesRequest.getDefaultInstance()).getImagesList();
        } catch (StatusRuntimeException e) {
            throw Errors.failed(connection, "listing images", e);
        }
        List<Image> sameTarget = rest.stream().filter(i -> i.getTarget().getDigest().equals(target)).toList();
        boolean tagged = sameTarget.stream().anyMatch(i -> ImageLister.isReference(i.getName())
                && !i.getName().contains("@"));
        List<String> removed = new ArrayList<>();
        if (!tagged) {
            for (Image sibling : sameTarget) {
                if (ImageRecorder.CRI_MANAGED.equals(sibling.getLabelsMap().get(ImageRecorder.CRI_LABEL))) {
                    delete(sibling.getName());
                    removed.add(sibling.getName());
                }
            }
        }
        return new RemovedImage(name, target, List.of());
    }

    private void delete(String name) {
        try {
            connection.images().delete(DeleteImageRequest.newBuilder().setName(name).build());
        } catch (StatusRuntimeException e) {
            if (!Errors.is(e, Status.Code.NOT_FOUND)) {
                throw Errors.failed(connection, "removing the image " + name, e);
            }
        }
    }
}
