package berth.engine.internal;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * {@code volume export} and {@code volume import}: a volume's content as a tar stream, with owners,
 * modes, times and symbolic links (podman's export is a plain tar of the mount point). Import never
 * writes outside the volume: an entry that climbs out, or that would be written through a symbolic
 * link, is refused.
 */
final class VolumeArchive {
    private static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};

    private VolumeArchive() {
    }

    static void export(Path dir, OutputStream out) {
        try {
            TarArchiveOutputStream tar = new TarArchiveOutputStream(out);
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                    if (!d.equals(dir)) {
                        put(tar, dir, d);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                    put(tar, dir, f);
                    return FileVisitResult.CONTINUE;
                }
            });
            tar.finish();
            tar.flush();
        } catch (IOException e) {
            throw new BerthException(ErrorCode.INTERNAL, "exporting volume " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void put(TarArchiveOutputStream tar, Path root, Path p) throws IOException {
        String name = root.relativize(p).toString();
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
            return; // sockets, fifos and devices are not carried, as a copy of files would not
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

    static void importInto(Path dir, InputStream in) {
        Path root = dir.toAbsolutePath().normalize();
        List<Object[]> dirTimes = new ArrayList<>();
        try {
            TarArchiveInputStream tar = new TarArchiveInputStream(in);
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                Path target = root.resolve(e.getName()).normalize();
                if (!target.startsWith(root) || target.equals(root)) {
                    if (target.equals(root)) {
                        continue; // "./" itself
                    }
                    throw new BerthException(ErrorCode.INVALID_ARGUMENT, "tar entry \"" + e.getName() + "\" points outside the volume");
                }
                requireNoLinkBetween(root, target.getParent(), e.getName());
                if (e.isDirectory()) {
                    if (!Files.isDirectory(target, NOFOLLOW)) {
                        Files.deleteIfExists(target);
                        Files.createDirectory(target);
                    }
                    dirTimes.add(new Object[] {target, e.getLastModifiedDate().getTime()});
                } else if (e.isSymbolicLink()) {
                    Files.deleteIfExists(target);
                    Files.createSymbolicLink(target, Path.of(e.getLinkName()));
                } else if (e.isLink()) {
                    Path src = root.resolve(e.getLinkName()).normalize();
                    if (!src.startsWith(root)) {
                        throw new BerthException(ErrorCode.INVALID_ARGUMENT, "tar entry \"" + e.getName() + "\" links outside the volume");
                    }
                    requireNoLinkBetween(root, src, e.getLinkName());
                    Files.deleteIfExists(target);
                    Files.createLink(target, src);
                    continue;
                } else if (e.isFile()) {
                    if (Files.isSymbolicLink(target)) {
                        Files.delete(target);
                    }
                    Files.copy(tar, target, StandardCopyOption.REPLACE_EXISTING);
                } else {
                    continue; // devices and fifos: not carried
                }
                Files.setAttribute(target, "unix:uid", (int) e.getLongUserId(), NOFOLLOW);
                Files.setAttribute(target, "unix:gid", (int) e.getLongGroupId(), NOFOLLOW);
                if (!e.isSymbolicLink()) {
                    Files.setPosixFilePermissions(target, permissions(e.getMode()));
                    Files.setLastModifiedTime(target, FileTime.fromMillis(e.getLastModifiedDate().getTime()));
                }
            }
            for (int i = dirTimes.size() - 1; i >= 0; i--) { // after their content, which changes them
                Files.setLastModifiedTime((Path) dirTimes.get(i)[0], FileTime.fromMillis((Long) dirTimes.get(i)[1]));
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "importing into volume " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Each directory from the volume's root down to {@code dir} is a real directory, never a link out. */
    private static void requireNoLinkBetween(Path root, Path dir, String entry) throws IOException {
        Path p = root;
        for (Path part : root.relativize(dir)) {
            p = p.resolve(part);
            if (Files.isSymbolicLink(p)) {
                throw new BerthException(ErrorCode.INVALID_ARGUMENT, "tar entry \"" + entry
                        + "\" would be written through the symbolic link " + root.relativize(p));
            }
            if (!Files.exists(p, NOFOLLOW)) {
                Files.createDirectory(p);
            }
        }
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> s = java.util.EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
                PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE,
                PosixFilePermission.GROUP_READ, PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
                PosixFilePermission.OWNER_READ};
        for (int i = 0; i < order.length; i++) {
            if ((mode & (1 << i)) != 0) {
                s.add(order[i]);
            }
        }
        return s;
    }
}
