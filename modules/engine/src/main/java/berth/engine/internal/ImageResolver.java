package berth.engine.internal;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.model.ImageInfo;
import berth.kernel.spi.image.ImageStore;
import berth.kernel.model.PullOptions;
import berth.kernel.trace.Trace;
import java.util.Optional;

/**
 * Finds the image a container is made from, pulling it as the pull policy says (podman's
 * {@code --pull}): {@code missing} pulls only when no local image matches, {@code always} and
 * {@code newer} pull every time (a registry's newer manifest replaces the name), {@code never}
 * fails on a missing image.
 */
final class ImageResolver {
    private ImageResolver() {
    }

    static ImageInfo resolve(ImageStore store, String reference, String policy, PullOptions options) {
        String p = policy == null ? "missing" : policy.toLowerCase();
        switch (p) {
            case "missing", "ifmissing", "ifnotpresent" -> {
                Optional<ImageInfo> local = store.find(reference);
                if (local.isPresent()) {
                    Trace.mark("create: image found");
                    return local.get();
                }
                return store.pull(reference, options);
            }
            case "always", "newer", "ifnewer" -> {
                return store.pull(reference, options);
            }
            case "never" -> {
                return store.find(reference).orElseThrow(() -> new BerthException(ErrorCode.IMAGE_NOT_FOUND,
                        reference + ": image not known"));
            }
            default -> throw new BerthException(ErrorCode.INVALID_ARGUMENT, "invalid pull policy \"" + policy
                    + "\": use always, missing, never or newer");
        }
    }
}
