package berth.engine;

import berth.engine.internal.ContainerCopier;
import berth.kernel.model.Container;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Files in and out of a container as tar streams (the Docker API's archive endpoints), through
 * the same copier as {@code cp} ({@link Engine#copy}): paths are resolved inside the container's
 * root, as it sees them, and never escape it; a stopped container's root is mounted for the copy.
 * Obtained from {@link Engine#files()}. Errors: NO_SUCH_CONTAINER, NO_SUCH_FILE, INVALID_ARGUMENT
 * (a tar entry that climbs out, a destination that is not a directory).
 */
public final class ContainerFiles {
    private final Engine engine;
    private final ContainerCopier copier;

    ContainerFiles(Engine engine, ContainerCopier copier) {
        this.engine = engine;
        this.copier = copier;
    }

    public PathStat stat(String container, String path) {
        return copier.stat(engine.container(container), path);
    }

    /** Writes a tar of {@code path} to {@code out}; returns what it copied. */
    public PathStat get(String container, String path, OutputStream out) {
        Container c = engine.container(container);
        PathStat st = copier.stat(c, path);
        copier.copy(c, new CopyRequest(c.id(), path, CopyRequest.STREAM, false, false, false), null, out);
        return st;
    }

    /** Extracts the tar {@code in} into the directory {@code path}, keeping the owners it names. */
    public void put(String container, String path, InputStream in) {
        Container c = engine.container(container);
        copier.copy(c, new CopyRequest(c.id(), path, CopyRequest.STREAM, true, false, false), in, null);
    }
}
