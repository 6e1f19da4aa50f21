package berth.engine;

import berth.engine.internal.ContainerArchive;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Files in and out of a container as tar streams ({@code cp}): paths are resolved inside the
 * container's root, as it sees them, and never escape it. Obtained from {@link Engine#files()}.
 * Errors: NO_SUCH_CONTAINER, NO_SUCH_FILE, CONTAINER_STATE_INVALID (a stopped container whose root
 * filesystem is not mounted), INVALID_ARGUMENT (a tar entry that climbs out).
 */
public final class ContainerFiles {
    private final Engine engine;

    ContainerFiles(Engine engine) {
        this.engine = engine;
    }

    public PathStat stat(String container, String path) {
        return ContainerArchive.stat(engine.container(container), path);
    }

    /** Writes a tar of {@code path} to {@code out}; returns what it copied. */
    public PathStat get(String container, String path, OutputStream out) {
        return ContainerArchive.get(engine.container(container), path, out);
    }

    /** Extracts the tar {@code in} into the directory {@code path}. */
    public void put(String container, String path, InputStream in) {
        ContainerArchive.put(engine.container(container), path, in);
    }
}
