package berth.state.sqlite;

import berth.support.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.jar.JarEntry;
import org.sqlite.util.LibraryLoaderUtil;

/**
 * Keeps sqlite-jdbc's native library extracted in the user's cache directory, so that each berth
 * command does not extract it again. Left alone, sqlite-jdbc copies the 1 MB library out of its jar
 * into the temp directory and MD5-hashes both copies on every start: about 50 ms, a third of what
 * opening the store costs a fresh JVM (bench/state/README.md).
 *
 * <p>The copy lives at {@code $XDG_CACHE_HOME/berth/sqlite-jdbc/CRC-SIZE/NAME} (else
 * {@code ~/.cache/berth/...}), named by the CRC and size of the jar entry it came from, so another
 * sqlite-jdbc version never picks it up. It is used only from directories owned by the current user
 * and writable by nobody else: a predictable library path in a shared directory would let another
 * user plant code. It is written to a temporary file and renamed into place, so processes racing to
 * create it each see a whole file. When anything is amiss the properties stay unset and sqlite-jdbc
 * extracts as usual; when {@code org.sqlite.lib.path} is already set (a distribution that installs the
 * library) nothing is done.
 */
final class NativeLibraryCache {
    private static final Set<PosixFilePermission> PRIVATE_DIR = PosixFilePermissions.fromString("rwx------");
    private static volatile boolean prepared;

    private NativeLibraryCache() {
    }

    /** Points sqlite-jdbc at the cached library; call before the first connection. */
    static void prepare() {
        if (prepared) {
            return;
        }
        synchronized (NativeLibraryCache.class) {
            if (prepared || System.getProperty("org.sqlite.lib.path") != null) {
                prepared = true;
                return;
            }
            Path root = cacheRoot();
            Path lib = root == null ? null : ensure(root);
            if (lib != null) {
                System.setProperty("org.sqlite.lib.path", lib.getParent().toString());
                System.setProperty("org.sqlite.lib.name", lib.getFileName().toString());
            }
            prepared = true;
        }
    }

    private static Path cacheRoot() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && xdg.startsWith("/")) {
            return Path.of(xdg, "berth");
        }
        String home = System.getProperty("user.home");
        return home == null || home.isEmpty() || home.equals("?") ? null : Path.of(home, ".cache", "berth");
    }

    /**
     * Makes sure the library for this JVM's platform is cached under {@code root}; returns its path,
     * or null when it cannot be cached safely.
     */
    static Path ensure(Path root) {
        try {
            String name = LibraryLoaderUtil.getNativeLibName();
            URL url = LibraryLoaderUtil.class.getResource(LibraryLoaderUtil.getNativeLibResourcePath() + "/" + name);
            if (url == null) {
                return null;
            }
            URLConnection uc = url.openConnection();
            if (!(uc instanceof JarURLConnection)) {
                return null; // an exploded sqlite-jdbc: nothing to gain
            }
            JarEntry entry = ((JarURLConnection) uc).getJarEntry();
            long size = entry.getSize();
            if (size <= 0 || entry.getCrc() < 0) {
                return null;
            }
            Path dir = root.resolve("sqlite-jdbc").resolve(Long.toHexString(entry.getCrc()) + "-" + size);
            if (!privateDirs(root, dir)) {
                return null;
            }
            Path lib = dir.resolve(name);
            if (Files.isRegularFile(lib) && Files.size(lib) == size && ownedAndNotWritableByOthers(lib)) {
                return lib;
            }
            // a whole file or none, even for processes racing to create it; a short copy is never renamed into place
            try (InputStream in = uc.getInputStream();
                 AtomicFiles.Staged staged = AtomicFiles.stage(lib, in)) {
                if (staged.size() != size) {
                    return null;
                }
                staged.commit();
            }
            return lib;
        } catch (IOException | RuntimeException | LinkageError e) {
            return null;
        }
    }

    /** Creates {@code root} and {@code dir} as 0700 if missing; true when every level is ours and private. */
    private static boolean privateDirs(Path root, Path dir) throws IOException {
        if (!Files.isDirectory(root)) {
            Files.createDirectories(root.getParent());
            try {
                Files.createDirectory(root, PosixFilePermissions.asFileAttribute(PRIVATE_DIR));
            } catch (java.nio.file.FileAlreadyExistsException raced) {
                // another process made it; checked below
            }
        }
        for (Path p = root; ; p = p.resolve(dir.getName(p.getNameCount()))) {
            if (!Files.isDirectory(p)) {
                try {
                    Files.createDirectory(p, PosixFilePermissions.asFileAttribute(PRIVATE_DIR));
                } catch (java.nio.file.FileAlreadyExistsException raced) {
                    // checked below
                }
            }
            if (!ownedAndNotWritableByOthers(p)) {
                return false;
            }
            if (p.equals(dir)) {
                return true;
            }
        }
    }

    private static boolean ownedAndNotWritableByOthers(Path p) throws IOException {
        PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class, java.nio.file.LinkOption.NOFOLLOW_LINKS);
        String me = System.getProperty("user.name");
        Set<PosixFilePermission> perms = a.permissions();
        return !a.isSymbolicLink() && a.owner().getName().equals(me)
                && !perms.contains(PosixFilePermission.GROUP_WRITE) && !perms.contains(PosixFilePermission.OTHERS_WRITE);
    }
}
