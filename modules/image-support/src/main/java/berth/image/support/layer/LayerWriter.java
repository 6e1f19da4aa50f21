package berth.image.support.layer;

import berth.image.support.digest.Sha256OutputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Writes a directory as an uncompressed layer tar (for commit and import, and to save a layer that
 * has no tar-split): entries in lexical order, depth first, without the directory itself;
 * directories named with a trailing '/'; numeric owners only; times in whole seconds; hard links
 * found by (device, inode); the xattrs containers/storage carries ({@code security.capability},
 * {@code security.ima}, {@code user.*}); sockets skipped. In {@link WhiteoutMode#OVERLAY} the
 * overlay driver's whiteouts are turned back into the layer format: a character device 0/0 becomes
 * an empty {@code .wh.NAME}, a directory with {@code trusted.overlay.opaque=y} gets a
 * {@code .wh..wh..opq} right after it.
 */
public final class LayerWriter {
    private static final int S_IFMT = 0170000;
    private static final int S_IFDIR = 0040000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFLNK = 0120000;
    private static final int S_IFCHR = 0020000;
    private static final int S_IFBLK = 0060000;
    private static final int S_IFIFO = 0010000;
    private static final String UNIX_ATTRIBUTES = "unix:mode,uid,gid,size,lastModifiedTime,ino,dev,nlink,rdev";

    private final TarEntryWriter tar;
    private final WhiteoutMode mode;
    private final Map<String, String> firstNameOfInode = new HashMap<>();

    private LayerWriter(TarEntryWriter tar, WhiteoutMode mode) {
        this.tar = tar;
        this.mode = mode;
    }

    /**
     * Writes {@code dir} as a tar to {@code tarOut} (not closed) and returns its diff ID,
     * {@code sha256:<hex>} of the bytes written.
     */
    public static String write(Path dir, OutputStream tarOut, WhiteoutMode mode) throws IOException {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("cannot write " + dir + " as a layer: no such directory");
        }
        Sha256OutputStream digesting = new Sha256OutputStream(new BufferedOutputStream(tarOut, 64 * 1024));
        LayerWriter writer = new LayerWriter(new TarEntryWriter(digesting), mode);
        writer.directory(dir, "");
        writer.tar.finish();
        digesting.flush();
        return digesting.digest();
    }

    private void directory(Path dir, String prefix) throws IOException {
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            s.forEach(children::add);
        }
        children.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
        for (Path child : children) {
            entry(child, prefix + child.getFileName().toString());
        }
    }

    private void entry(Path path, String name) throws IOException {
        Map<String, Object> a = Files.readAttributes(path, UNIX_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
        int st = (Integer) a.get("mode");
        int perm = st & 07777;
        long uid = ((Integer) a.get("uid")) & 0xffffffffL;
        long gid = ((Integer) a.get("gid")) & 0xffffffffL;
        long mtime = ((FileTime) a.get("lastModifiedTime")).to(TimeUnit.SECONDS);
        int type = st & S_IFMT;
        Map<String, byte[]> xattrs = type == S_IFLNK ? Map.of() : carriedXattrs(path);
        switch (type) {
            case S_IFDIR -> {
                tar.write(new TarEntryWriter.Entry(name + "/", TarHeader.DIRECTORY, perm, uid, gid, 0, mtime, "", 0, 0, xattrs), null);
                if (mode == WhiteoutMode.OVERLAY && Arrays.equals(FileSystemCalls.lgetxattr(path, Extraction.OVERLAY_OPAQUE_XATTR), new byte[] {'y'})) {
                    tar.write(new TarEntryWriter.Entry(name + "/.wh..wh..opq", TarHeader.REGULAR, perm & 0777, uid, gid, 0, mtime,
                            "", 0, 0, Map.of()), null);
                }
                directory(path, name + "/");
            }
            case S_IFREG -> {
                long size = (Long) a.get("size");
                if ((Integer) a.get("nlink") > 1) {
                    String key = a.get("dev") + ":" + a.get("ino");
                    String first = firstNameOfInode.putIfAbsent(key, name);
                    if (first != null) {
                        tar.write(new TarEntryWriter.Entry(name, TarHeader.HARD_LINK, perm, uid, gid, 0, mtime, first, 0, 0, xattrs), null);
                        return;
                    }
                }
                try (InputStream in = Files.newInputStream(path, LinkOption.NOFOLLOW_LINKS)) {
                    tar.write(new TarEntryWriter.Entry(name, TarHeader.REGULAR, perm, uid, gid, size, mtime, "", 0, 0, xattrs), in);
                }
            }
            case S_IFLNK -> {
                String target = new String(FileSystemCalls.readlink(path), java.nio.charset.StandardCharsets.UTF_8);
                tar.write(new TarEntryWriter.Entry(name, TarHeader.SYMLINK, perm, uid, gid, 0, mtime, target, 0, 0, xattrs), null);
            }
            case S_IFCHR, S_IFBLK -> {
                long rdev = (Long) a.get("rdev");
                if (type == S_IFCHR && rdev == 0 && mode == WhiteoutMode.OVERLAY) {
                    int slash = name.lastIndexOf('/');
                    String whiteout = name.substring(0, slash + 1) + ".wh." + name.substring(slash + 1);
                    tar.write(new TarEntryWriter.Entry(whiteout, TarHeader.REGULAR, 0600, uid, gid, 0, mtime, "", 0, 0, Map.of()), null);
                    return;
                }
                tar.write(new TarEntryWriter.Entry(name, type == S_IFCHR ? TarHeader.CHAR_DEVICE : TarHeader.BLOCK_DEVICE, perm, uid, gid,
                        0, mtime, "", FileSystemCalls.major(rdev), FileSystemCalls.minor(rdev), xattrs), null);
            }
            case S_IFIFO -> tar.write(new TarEntryWriter.Entry(name, TarHeader.FIFO, perm, uid, gid, 0, mtime, "", 0, 0, xattrs), null);
            default -> {
                // sockets (and anything else) have no place in a layer, as in docker's and containers/storage's tars
            }
        }
    }

    /** The xattrs containers/storage puts in a layer, sorted by name. */
    private static Map<String, byte[]> carriedXattrs(Path path) throws IOException {
        Map<String, byte[]> out = new TreeMap<>();
        for (String name : FileSystemCalls.llistxattr(path)) {
            if (name.equals("security.capability") || name.equals("security.ima") || name.startsWith("user.")) {
                byte[] value = FileSystemCalls.lgetxattr(path, name);
                if (value != null) {
                    out.put(name, value);
                }
            }
        }
        return out;
    }
}
