package berth.image.overlay;

import berth.kernel.error.ErrorCode;
import berth.support.Subprocess;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.Objects;

/**
 * The changes between two full copies (vfs: a container's directory and its image's top layer),
 * written as an overlay upper directory, so that a vfs container commits through the same layer
 * writer as an overlay one: a new or changed entry is copied (as c/storage's naive diff decides:
 * type, mode, owner, size, modification time, link target), a removed one becomes a whiteout (a
 * character device 0/0).
 */
final class CopyDiff {
    private static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};

    private CopyDiff() {
    }

    /** Writes the changes from {@code lower} to {@code upper} into the empty directory {@code out}. */
    static void write(Path lower, Path upper, Path out) throws IOException {
        walk(lower, upper, out, Path.of(""));
    }

    /** Returns whether anything under {@code rel} changed (so its directory must appear in the diff). */
    private static boolean walk(Path lower, Path upper, Path out, Path rel) throws IOException {
        boolean changed = false;
        Path upperDir = upper.resolve(rel.toString());
        Path lowerDir = lower.resolve(rel.toString());
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(upperDir)) {
            for (Path u : entries) {
                Path r = rel.resolve(u.getFileName().toString());
                Path l = lower.resolve(r.toString());
                PosixFileAttributes ua = attrs(u);
                PosixFileAttributes la = Files.exists(l, NOFOLLOW) ? attrs(l) : null;
                if (ua.isDirectory() && la != null && la.isDirectory()) {
                    boolean inner = walk(lower, upper, out, r);
                    if (inner || !sameMeta(ua, la)) {
                        copyDirMeta(u, out.resolve(r.toString()), ua);
                        changed = true;
                    }
                } else if (la == null || !sameEntry(u, ua, l, la)) {
                    copyEntry(u, out.resolve(r.toString()), ua, lower, upper, out, r);
                    changed = true;
                }
            }
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(lowerDir)) {
            for (Path l : entries) {
                Path r = rel.resolve(l.getFileName().toString());
                if (!Files.exists(upper.resolve(r.toString()), NOFOLLOW)) {
                    Files.createDirectories(out.resolve(r.toString()).getParent());
                    Subprocess.of("mknod", out.resolve(r.toString()).toString(), "c", "0", "0").check(ErrorCode.INTERNAL);
                    changed = true;
                }
            }
        }
        if (changed && !rel.toString().isEmpty()) {
            copyDirMeta(upperDir, out.resolve(rel.toString()), attrs(upperDir));
        }
        return changed;
    }

    private static void copyEntry(Path u, Path target, PosixFileAttributes ua, Path lower, Path upper, Path out, Path r)
            throws IOException {
        Files.createDirectories(target.getParent());
        if (ua.isDirectory()) {
            copyDirMeta(u, target, ua);
            // a new directory (or one that replaced a file): everything in it is new
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(u)) {
                for (Path child : entries) {
                    copyEntry(child, target.resolve(child.getFileName().toString()), attrs(child), lower, upper, out,
                            r.resolve(child.getFileName().toString()));
                }
            }
            copyDirMeta(u, target, ua);
        } else if (ua.isRegularFile() || ua.isSymbolicLink()) {
            Files.copy(u, target, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS, StandardCopyOption.REPLACE_EXISTING);
            own(target, ua);
        } else {
            // devices, fifos, sockets: cp -a makes them as they are
            Subprocess.of("cp", "-a", u.toString(), target.toString()).check(ErrorCode.INTERNAL);
        }
    }

    private static void copyDirMeta(Path from, Path target, PosixFileAttributes a) throws IOException {
        if (!Files.isDirectory(target, NOFOLLOW)) {
            Files.createDirectories(target);
        }
        Files.setPosixFilePermissions(target, a.permissions());
        own(target, a);
        Files.getFileAttributeView(target, PosixFileAttributeView.class, NOFOLLOW)
                .setTimes(a.lastModifiedTime(), a.lastAccessTime(), null);
    }

    private static void own(Path target, PosixFileAttributes a) throws IOException {
        PosixFileAttributeView v = Files.getFileAttributeView(target, PosixFileAttributeView.class, NOFOLLOW);
        v.setOwner(a.owner());
        v.setGroup(a.group());
    }

    private static boolean sameMeta(PosixFileAttributes a, PosixFileAttributes b) {
        return a.permissions().equals(b.permissions()) && a.owner().equals(b.owner()) && a.group().equals(b.group());
    }

    private static boolean sameEntry(Path u, PosixFileAttributes ua, Path l, PosixFileAttributes la) throws IOException {
        if (ua.isRegularFile() != la.isRegularFile() || ua.isSymbolicLink() != la.isSymbolicLink()
                || ua.isDirectory() != la.isDirectory() || ua.isOther() != la.isOther() || !sameMeta(ua, la)) {
            return false;
        }
        if (ua.isSymbolicLink()) {
            return Files.readSymbolicLink(u).equals(Files.readSymbolicLink(l));
        }
        return ua.size() == la.size() && Objects.equals(ua.lastModifiedTime(), la.lastModifiedTime());
    }

    private static PosixFileAttributes attrs(Path p) throws IOException {
        return Files.readAttributes(p, PosixFileAttributes.class, NOFOLLOW);
    }
}
