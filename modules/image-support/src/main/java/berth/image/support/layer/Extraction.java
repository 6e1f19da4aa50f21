package berth.image.support.layer;

import berth.kernel.error.BerthException;
import berth.support.FileTrees;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Applies a layer's entries, one at a time and in order, to a directory: creates what each entry
 * describes with its owner, mode, xattrs and times, and turns whiteouts into what the
 * {@link WhiteoutMode} asks. Paths go through {@link RootedResolver}, so nothing is created,
 * changed or deleted outside the root.
 */
final class Extraction {
    private static final String WHITEOUT_PREFIX = ".wh.";
    private static final String OPAQUE_MARKER = ".wh..wh..opq";
    private static final String AUFS_META_PREFIX = ".wh..wh.";
    private static final byte[] OPAQUE_VALUE = {'y'};
    static final String OVERLAY_OPAQUE_XATTR = "trusted.overlay.opaque";

    /** A directory whose times are set at the end; {@code parts} find it again then. */
    private record DirTimes(Path dir, List<String> parts, TarHeader header) {
    }

    private final RootedResolver resolver;
    private final WhiteoutMode mode;
    /** Paths (relative to the root) this layer created, and their ancestors: an opaque marker keeps them. */
    private final Set<Path> written = new HashSet<>();
    private final List<DirTimes> dirTimes = new ArrayList<>();

    /**
     * One copy buffer for every file of the layer: InputStream.transferTo's 16 KiB chunks cost a
     * write(2) and a pass down the digest and inflater streams each (some 6,000 for a 100 MB pull).
     */
    private final byte[] copyBuffer = new byte[256 * 1024];

    Extraction(Path root, WhiteoutMode mode) {
        this.resolver = new RootedResolver(root);
        this.mode = mode;
    }

    void apply(TarHeader h, InputStream content) throws IOException {
        if (h.type() == TarHeader.GLOBAL_PAX) {
            return;
        }
        String name = h.name();
        if (TarSplitPacker.strictUtf8(h.nameBytes()) == null) {
            throw new IOException("layer entry " + h.quotedName() + ": its name is not valid UTF-8");
        }
        List<String> parts = RootedResolver.components(name, "layer entry");
        if (parts.isEmpty()) {
            if (h.type() != TarHeader.DIRECTORY) {
                throw new IOException("layer entry " + h.quotedName() + " names the root but is no directory");
            }
            return; // the root's metadata is the store's: containers/storage skips "." (docker applied it)
        }
        String base = parts.get(parts.size() - 1);
        List<String> parentParts = parts.subList(0, parts.size() - 1);
        if (parentParts.stream().anyMatch(p -> p.startsWith(AUFS_META_PREFIX))) {
            return; // inside AUFS metadata (.wh..wh.plnk/...): containers/storage skips it too
        }
        if (base.startsWith(WHITEOUT_PREFIX)) {
            whiteout(h, parentParts, base);
            return;
        }
        Path parent = resolver.directory(parentParts, RootedResolver.Missing.CREATE, name);
        Path path = parent.resolve(base);
        Path linkTarget = h.type() == TarHeader.HARD_LINK ? hardLinkTarget(h, path) : null;
        BasicFileAttributes existing = RootedResolver.lstat(path);
        if (existing != null && !(existing.isDirectory() && h.type() == TarHeader.DIRECTORY)) {
            deleteTree(path);
        }
        switch (h.type()) {
            case TarHeader.REGULAR, TarHeader.CONTIGUOUS -> {
                try (OutputStream out = Files.newOutputStream(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                        LinkOption.NOFOLLOW_LINKS)) {
                    copy(content, out);
                }
            }
            case TarHeader.DIRECTORY -> {
                if (existing == null || !existing.isDirectory()) {
                    Files.createDirectory(path);
                }
            }
            case TarHeader.SYMLINK -> FileSystemCalls.symlink(h.linkBytes(), path);
            case TarHeader.HARD_LINK -> Files.createLink(path, linkTarget);
            case TarHeader.CHAR_DEVICE -> FileSystemCalls.mknod(path, FileSystemCalls.S_IFCHR, h.mode(), h.devMajor(), h.devMinor());
            case TarHeader.BLOCK_DEVICE -> FileSystemCalls.mknod(path, FileSystemCalls.S_IFBLK, h.mode(), h.devMajor(), h.devMinor());
            case TarHeader.FIFO -> FileSystemCalls.mknod(path, FileSystemCalls.S_IFIFO, h.mode(), 0, 0);
            default -> throw new IOException("layer entry " + h.quotedName() + " has the unsupported type '" + (char) h.type() + "'");
        }
        if (h.type() != TarHeader.HARD_LINK) {
            applyMetadata(path, h); // a hard link shares its target's inode, metadata and all
        }
        markWritten(path);
    }

    /** Sets the directories' times, last: writing into a directory changes its mtime. */
    void finish() throws IOException {
        for (int i = dirTimes.size() - 1; i >= 0; i--) {
            DirTimes d = dirTimes.get(i);
            // A later entry may have replaced the directory, or one of its parents, with a symbolic
            // link: the saved path could then lead outside the root. Walk to it again, link by link.
            Path now;
            try {
                now = resolver.directory(d.parts(), RootedResolver.Missing.ABSENT, d.header().name());
            } catch (IOException leadsOutside) {
                continue;
            }
            if (d.dir().equals(now)) {
                setTimes(now, d.header());
            }
        }
    }

    private Path hardLinkTarget(TarHeader h, Path path) throws IOException {
        String link = h.linkName();
        List<String> parts = RootedResolver.components(link, "layer entry " + h.quotedName() + ": hard link target");
        if (parts.isEmpty()) {
            throw new IOException("layer entry " + h.quotedName() + " is a hard link to the root");
        }
        Path dir = resolver.directory(parts.subList(0, parts.size() - 1), RootedResolver.Missing.ABSENT, h.name());
        Path target = dir == null ? null : dir.resolve(parts.get(parts.size() - 1));
        BasicFileAttributes a = target == null ? null : RootedResolver.lstat(target);
        if (a == null) {
            throw new IOException("layer entry " + h.quotedName() + " is a hard link to \"" + link + "\", which does not exist in the layer");
        }
        if (a.isDirectory()) {
            throw new IOException("layer entry " + h.quotedName() + " is a hard link to the directory \"" + link + "\"");
        }
        if (a.isSymbolicLink()) {
            resolver.checkLinkStaysInside(target, h.name());
        }
        if (target.equals(path)) {
            throw new IOException("layer entry " + h.quotedName() + " is a hard link to itself");
        }
        return target;
    }

    private void whiteout(TarHeader h, List<String> parentParts, String base) throws IOException {
        String name = h.name();
        if (base.equals(OPAQUE_MARKER)) {
            if (mode == WhiteoutMode.OVERLAY) {
                Path dir = resolver.directory(parentParts, RootedResolver.Missing.CREATE, name);
                FileSystemCalls.lsetxattr(dir, OVERLAY_OPAQUE_XATTR, OPAQUE_VALUE);
                markWritten(dir);
            } else {
                Path dir = resolver.directory(parentParts, RootedResolver.Missing.ABSENT, name);
                if (dir != null) {
                    removeEarlierContent(dir);
                }
            }
            return;
        }
        if (base.startsWith(AUFS_META_PREFIX)) {
            return; // AUFS metadata (.wh..wh.plnk, .wh..wh.aufs): containers/storage skips it too
        }
        String hidden = base.substring(WHITEOUT_PREFIX.length());
        if (hidden.isEmpty() || hidden.equals(".") || hidden.equals("..")) {
            throw new IOException("layer entry " + h.quotedName() + " is an invalid whiteout");
        }
        if (mode == WhiteoutMode.OVERLAY) {
            Path dir = resolver.directory(parentParts, RootedResolver.Missing.CREATE, name);
            Path path = dir.resolve(hidden);
            if (RootedResolver.lstat(path) != null) {
                deleteTree(path);
            }
            FileSystemCalls.mknod(path, FileSystemCalls.S_IFCHR, 0, 0, 0);
            FileSystemCalls.lchown(path, h.uid(), h.gid());
            markWritten(path);
        } else {
            Path dir = resolver.directory(parentParts, RootedResolver.Missing.ABSENT, name);
            if (dir != null) {
                deleteTree(dir.resolve(hidden)); // never follows a link; a missing name is no error
            }
        }
    }

    /** An opaque marker in APPLY mode: deletes what is below {@code dir} that this layer did not write. */
    private void removeEarlierContent(Path dir) throws IOException {
        try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
            for (Path child : children) {
                if (!written.contains(resolver.root().relativize(child))) {
                    deleteTree(child);
                } else if (Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)) {
                    removeEarlierContent(child);
                }
            }
        }
    }

    /** FileTrees.delete (never follows a link), its failure as the IOException extraction reports. */
    private static void deleteTree(Path path) throws IOException {
        try {
            FileTrees.delete(path);
        } catch (BerthException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private void markWritten(Path path) {
        Path rel = resolver.root().relativize(path);
        while (rel != null && written.add(rel)) {
            rel = rel.getParent();
        }
    }

    /** Owner, xattrs, then mode (chown clears setuid/setgid), then times (directories' at the end). */
    private void applyMetadata(Path path, TarHeader h) throws IOException {
        FileSystemCalls.lchown(path, h.uid(), h.gid());
        for (Map.Entry<String, byte[]> x : h.xattrs().entrySet()) {
            FileSystemCalls.lsetxattrIfSupported(path, x.getKey(), x.getValue());
        }
        if (h.type() != TarHeader.SYMLINK) {
            FileSystemCalls.chmod(path, h.mode());
        }
        if (h.type() == TarHeader.DIRECTORY) {
            dirTimes.add(new DirTimes(path, List.copyOf(resolver.root().relativize(path).toString().isEmpty()
                    ? List.of() : List.of(resolver.root().relativize(path).toString().split("/"))), h));
        } else {
            setTimes(path, h);
        }
    }

    private static void setTimes(Path path, TarHeader h) throws IOException {
        long atime = h.atimeSeconds();
        int atimeNanos = h.atimeNanos();
        // as docker: an access time missing or before the modification time becomes the latter
        if (atime < h.mtimeSeconds() || (atime == h.mtimeSeconds() && atimeNanos < h.mtimeNanos())) {
            atime = h.mtimeSeconds();
            atimeNanos = h.mtimeNanos();
        }
        FileSystemCalls.lutimes(path, atime, atimeNanos, h.mtimeSeconds(), h.mtimeNanos());
    }

    private void copy(InputStream in, OutputStream out) throws IOException {
        byte[] buf = copyBuffer;
        for (int n; (n = in.read(buf, 0, buf.length)) >= 0; ) {
            out.write(buf, 0, n);
        }
    }
}
