package berth.image.overlay;

import java.nio.file.Path;

/**
 * How a layer's files are kept and a container's root filesystem is made: overlayfs over short
 * links (podman's {@code overlay}) or full copies ({@code vfs}).
 */
sealed interface LayerDriver permits OverlayDriver, VfsDriver {
    /** The driver's name, also the prefix of the store's directories ({@code overlay-layers}). */
    String name();

    /** The driver's home directory ({@code <graphRoot>/overlay}, {@code <graphRoot>/vfs}). */
    Path home();

    /** Makes a new, empty layer on top of {@code parent} (empty for a base layer). */
    void create(String id, String parent);

    /** Where a layer's own files are: extraction writes here, a container writes here. */
    Path diffDir(String id);

    /** Whether extraction applies whiteouts by deleting (full copies) or keeps them as overlay whiteouts. */
    boolean appliesWhiteouts();

    /** Mounts a layer's root filesystem and returns it (the caller counts mounts). */
    Path mount(String id);

    /** Where {@link #mount} puts it, mounted or not. */
    Path mountPoint(String id);

    void unmount(String id);

    /** Deletes a layer's files (unmounting first). Missing already is no error. */
    void remove(String id);

    /**
     * Where a pull extracts a layer while it downloads, before the layer is recorded: a directory on
     * the mount that holds the layers, so that {@link #adopt} is a rename. Null when a layer cannot
     * be made apart from its parent (vfs: full copies).
     */
    default Path stagingRoot() {
        return null;
    }

    /**
     * Moves files extracted under {@link #stagingRoot} in as layer {@code id}'s own, replacing the
     * empty diff that {@link #create} made and keeping the mode create gave it.
     */
    default void adopt(String id, Path staged) {
        throw new UnsupportedOperationException(name() + " does not stage layers");
    }

    /** Undoes what the driver mounted besides layers (overlay: the home's private bind mount). */
    default void shutdown() {
    }
}
