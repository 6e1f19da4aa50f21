package berth.engine.internal;

import berth.engine.PathStat;
import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.model.Container;
import berth.kernel.model.ContainerStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Files in and out of a container as tar streams ({@code cp}, the Docker API's archive endpoints).
 * A running container is reached through its init process's root, so its volumes and mounts are
 * seen as it sees them; a stopped one through its root filesystem when that is on disk. Paths are
 * resolved inside that root ({@link RootedPaths}) and extraction refuses entries that climb out.
 */
public final class ContainerArchive {
    private static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};

    private ContainerArchive() {
    }

    /** The root as the container sees it. */
    static Path root(Container c) {
        if (c.status() == ContainerStatus.RUNNING || c.status() == ContainerStatus.PAUSED) {
            Path proc = Path.of("/proc", Integer.toString(c.state().pid()), "root");
            if (c.state().pid() > 0 && Files.isDirectory(proc)) {
                return proc;
            }
        }
        Path rootfs = c.config().rootfs() == null ? null : Path.of(c.config().rootfs());
        if (rootfs != null && Files.isDirectory(rootfs) && Files.exists(rootfs.resolve("bin"), NOFOLLOW)) {
            return rootfs;
        }
        throw new BerthException(ErrorCode.CONTAINER_STATE_INVALID, "container " + c.name()
                + " is not running and its root filesystem is not mounted: start it to copy files");
    }

    public static PathStat stat(Container c, String path) {
        Path p = RootedPaths.resolve(root(c), path, false);
        return statOf(c, path, p);
    }

    private static PathStat statOf(Container c, String path, Path p) {
        try {
            Map<String, Object> a = Files.readAttributes(p, "unix:mode,size,lastModifiedTime,isSymbolicLink,isDirectory", NOFOLLOW);
            String link = (Boolean) a.get("isSymbolicLink") ? Files.readSymbolicLink(p).toString() : "";
            String name = p.getFileName() == null ? "/" : p.getFileName().toString();
            return new PathStat(name, (Long) a.get("size"), (Integer) a.get("mode"), ((FileTime) a.get("lastModifiedTime")).toInstant(),
                    link, (Boolean) a.get("isDirectory"));
        } catch (java.nio.file.NoSuchFileException e) {
            throw new BerthException(ErrorCode.NO_SUCH_FILE, "container " + c.name() + ": no such file or directory: " + path);
        } catch (IOException e) {
            throw new BerthException(ErrorCode.INTERNAL, "container " + c.name() + ": cannot stat " + path + ": " + e.getMessage(), e);
        }
    }

    /** A tar of {@code path}: its own name first, then (for a directory) everything below it. */
    public static PathStat get(Container c, String path, OutputStream out) {
        Path p = RootedPaths.resolve(root(c), path, false);
        PathStat st = statOf(c, path, p);
        try {
            TarArchiveOutputStream tar = new TarArchiveOutputStream(out);
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            String base = st.name().equals("/") ? "." : st.name();
            if (st.directory()) {
                Files.walkFileTree(p, new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                        put(tar, base, p, d);
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                        put(tar, base, p, f);
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFileFailed(Path f, IOException e) {
                        return FileVisitResult.CONTINUE; // a file gone meanwhile (/proc, /tmp) is left out
                    }
                });
            } else {
                put(tar, base, p, p);
            }
            tar.finish();
            tar.flush();
        } catch (IOException e) {
            throw new BerthException(ErrorCode.INTERNAL, "copying " + path + " out of container " + c.name() + ": " + e.getMessage(), e);
        }
        return st;
    }

    private static void put(TarArchiveOutputStream tar, String base, Path top, Path p) throws IOException {
        String rel = top.relativize(p).toString();
        String name = rel.isEmpty() ? base : base + "/" + rel;
        Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid,lastModifiedTime,isDirectory,isSymbolicLink,isRegularFile,size", NOFOLLOW);
        TarArchiveEntry e;
        if ((Boolean) a.get("isSymbolicLink")) {
            e = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
            e.setLinkName(Files.readSymbolicLink(p).toString());
        } else if ((Boolean) a.get("isDirectory")) {
            e = new TarArchiveEntry(name + "/");
        } else if ((Boolean) a.get("isRegularFile")) {
            e = new TarArchiveEntry(name);
            e.setSize((Long) a.get("size"));
        } else {
            return; // sockets, fifos and devices are not copied
        }
        e.setMode((Integer) a.get("mode"));
        e.setUserId((Integer) a.get("uid"));
        e.setGroupId((Integer) a.get("gid"));
        e.setModTime(((FileTime) a.get("lastModifiedTime")).toMillis());
        tar.putArchiveEntry(e);
        if ((Boolean) a.get("isRegularFile")) {
            Files.copy(p, tar);
        }
        tar.closeArchiveEntry();
    }

    /** Extracts a tar into the directory {@code path} of the container (which must exist). */
    public static void put(Container c, String path, InputStream in) {
        Path dir = RootedPaths.resolve(root(c), path, true);
        if (!Files.isDirectory(dir, NOFOLLOW)) {
            throw new BerthException(Files.exists(dir, NOFOLLOW) ? ErrorCode.INVALID_ARGUMENT : ErrorCode.NO_SUCH_FILE,
                    "container " + c.name() + ": " + path + (Files.exists(dir, NOFOLLOW) ? " is not a directory" : ": no such file or directory"));
        }
        try {
            VolumeArchive.importInto(dir, in);
        } catch (BerthException e) {
            throw new BerthException(e.code(), "copying into " + path + " of container " + c.name() + ": "
                    + e.getMessage().replaceFirst("^importing into volume [^:]*: ", ""), e);
        }
    }
}
