package berth.kernel.model;

/**
 * Progress of a pull, push or load, for a display. Called from the transfer threads: implementations
 * must be thread-safe. Every method has a do-nothing default.
 */
public interface PullListener {
    PullListener NONE = new PullListener() { };

    /** A free-text step, as podman prints them ({@code Trying to pull ...}, {@code Writing manifest to image destination}). */
    default void message(String text) {
    }

    /** A blob is about to be transferred; {@code size} is -1 when unknown. */
    default void blobStarted(String digest, long size) {
    }

    /** Bytes so far of a blob in transfer. */
    default void blobProgress(String digest, long bytes) {
    }

    /** A blob is done; {@code skipped} when the store already had it. */
    default void blobDone(String digest, boolean skipped) {
    }
}
