package berth.image.overlay;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.model.ImageRemoval;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Image records by reference, their names (a name belongs to one image only), and image removal. */
final class ImageNames {
    private final Layers layers;

    ImageNames(Layers layers) {
        this.layers = layers;
    }

    static ImageRecord require(StoreTxn txn, String reference) {
        return ImageLookup.find(txn.images(), reference).orElseThrow(() -> notFound(reference));
    }

    static BerthException notFound(String reference) {
        return new BerthException(ErrorCode.IMAGE_NOT_FOUND, reference + ": image not known");
    }

    /** Gives {@code image} the names, taking each from any other image that had it (the caller saves). */
    static void addNames(StoreTxn txn, ImageRecord image, List<String> names) {
        for (String name : names) {
            for (ImageRecord other : txn.images()) {
                if (other != image && other.names().contains(name)) {
                    List<String> rest = new ArrayList<>(other.names());
                    rest.remove(name);
                    other.setNames(rest);
                }
            }
            List<String> mine = new ArrayList<>(image.names());
            if (!mine.contains(name)) {
                mine.add(name);
                image.setNames(mine);
            }
        }
    }

    /** Whether a container's storage uses the image. */
    static boolean inUse(StoreTxn txn, ImageRecord image) {
        return txn.containers().stream().anyMatch(c -> c.image().equals(image.id()));
    }

    ImageRemoval remove(StoreTxn txn, String reference, boolean force) {
        ImageRecord image = require(txn, reference);
        List<String> untagged = new ArrayList<>();
        // given by one of several names: only that name goes, as podman rmi does
        Optional<String> byName = image.names().size() > 1 && !force ? matchingName(image, reference) : Optional.empty();
        if (byName.isPresent()) {
            List<String> rest = new ArrayList<>(image.names());
            rest.remove(byName.get());
            image.setNames(rest);
            txn.saveImages();
            return new ImageRemoval(List.of(byName.get()), List.of());
        }
        if (!force && image.names().size() > 1) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "unable to delete image \"" + image.id()
                    + "\" by ID with more than one tag ([" + String.join(" ", image.names()) + "]): please force removal");
        }
        if (inUse(txn, image)) {
            List<String> users = txn.containers().stream().filter(c -> c.image().equals(image.id())).map(ContainerRecord::id).toList();
            throw new BerthException(ErrorCode.IMAGE_IN_USE, "image used by " + String.join(", ", users)
                    + ": image is in use by a container: consider listing external containers and force-removing image");
        }
        untagged.addAll(image.names());
        txn.images().remove(image);
        txn.saveImages();
        berth.support.FileTrees.delete(txn.layout.imageDataDir(image.id()));
        layers.deleteChain(txn, image.topLayer());
        return new ImageRemoval(untagged, List.of(image.id()));
    }

    /** The image's name that {@code reference} denotes, when it is a name rather than an id. */
    private static Optional<String> matchingName(ImageRecord image, String reference) {
        if (image.id().startsWith(reference.replace("sha256:", ""))) {
            return Optional.empty();
        }
        for (String name : image.names()) {
            if (ImageLookup.nameMatches(name, reference)) {
                return Optional.of(name);
            }
        }
        return Optional.empty();
    }

}
