package berth.image.support.layer;

import com.sun.jna.Function;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The file-system calls Java lacks, made on libc through JNA {@link Function} handles (as
 * berth.oci.natives does: no Library proxy, one dlsym a function): mknod (device nodes, fifos,
 * overlay whiteouts), lchown, chmod with the setuid/setgid/sticky bits, the l*xattr family and
 * utimensat with AT_SYMLINK_NOFOLLOW. None follows a symbolic link in the last component except
 * chmod, which is never called on one. Errors are IOExceptions naming the call, the path and errno.
 */
final class FileSystemCalls {
    private static final NativeLibrary C = NativeLibrary.getInstance("libc.so.6");

    static final int S_IFIFO = 0010000;
    static final int S_IFCHR = 0020000;
    static final int S_IFBLK = 0060000;
    private static final int AT_FDCWD = -100;
    private static final int AT_SYMLINK_NOFOLLOW = 0x100;
    private static final int ENODATA = 61;
    private static final int ERANGE = 34;
    private static final int ENOTSUP = 95;
    private static final int EPERM = 1;

    private FileSystemCalls() {
    }

    /** One libc function, resolved on first use. */
    private static final class Fn {
        private final String name;
        private volatile Function handle;

        Fn(String name) {
            this.name = name;
        }

        int call(Object... args) {
            Function h = handle;
            if (h == null) {
                handle = h = C.getFunction(name);
            }
            return h.invokeInt(args);
        }

        long callLong(Object... args) {
            Function h = handle;
            if (h == null) {
                handle = h = C.getFunction(name);
            }
            return h.invokeLong(args);
        }

        String string(Object... args) {
            Function h = handle;
            if (h == null) {
                handle = h = C.getFunction(name);
            }
            return h.invokeString(args, false);
        }
    }

    private static final Fn MKNOD = new Fn("mknod");
    private static final Fn LCHOWN = new Fn("lchown");
    private static final Fn CHMOD = new Fn("chmod");
    private static final Fn LSETXATTR = new Fn("lsetxattr");
    private static final Fn LGETXATTR = new Fn("lgetxattr");
    private static final Fn LLISTXATTR = new Fn("llistxattr");
    private static final Fn UTIMENSAT = new Fn("utimensat");
    private static final Fn SYMLINK = new Fn("symlink");
    private static final Fn READLINK = new Fn("readlink");
    private static final Fn STRERROR = new Fn("strerror");

    private static String cPath(Path p) {
        return p.toString();
    }

    private static IOException error(String call, Path p) {
        int errno = Native.getLastError();
        String text = STRERROR.string(errno);
        return new IOException(call + " " + p + ": " + text + " (errno " + errno + ")");
    }

    /** Linux's dev_t encoding (glibc makedev). */
    static long makedev(long major, long minor) {
        return ((major & 0xfffff000L) << 32) | ((major & 0xfffL) << 8)
                | ((minor & 0xffffff00L) << 12) | (minor & 0xffL);
    }

    static int major(long dev) {
        return (int) (((dev >>> 8) & 0xfffL) | ((dev >>> 32) & ~0xfffL));
    }

    static int minor(long dev) {
        return (int) ((dev & 0xffL) | ((dev >>> 12) & ~0xffL));
    }

    /** mknod(2); {@code type} is S_IFCHR, S_IFBLK or S_IFIFO. */
    static void mknod(Path p, int type, int perm, int major, int minor) throws IOException {
        if (MKNOD.call(cPath(p), type | (perm & 07777), makedev(major, minor)) != 0) {
            throw error("mknod", p);
        }
    }

    static void lchown(Path p, long uid, long gid) throws IOException {
        if (LCHOWN.call(cPath(p), (int) uid, (int) gid) != 0) {
            throw error("lchown", p);
        }
    }

    /** chmod(2) with all twelve mode bits (Java's PosixFilePermission has no setuid, setgid or sticky). */
    static void chmod(Path p, int mode) throws IOException {
        if (CHMOD.call(cPath(p), mode & 07777) != 0) {
            throw error("chmod", p);
        }
    }

    static void lsetxattr(Path p, String name, byte[] value) throws IOException {
        if (LSETXATTR.call(cPath(p), name, value, (long) value.length, 0) != 0) {
            throw error("lsetxattr " + name, p);
        }
    }

    /**
     * lsetxattr that tolerates what containers/storage tolerates: a file system without xattrs of
     * that namespace (ENOTSUP) or a namespace we may not write (EPERM). Returns false then.
     */
    static boolean lsetxattrIfSupported(Path p, String name, byte[] value) throws IOException {
        if (LSETXATTR.call(cPath(p), name, value, (long) value.length, 0) == 0) {
            return true;
        }
        int errno = Native.getLastError();
        if (errno == ENOTSUP || errno == EPERM) {
            return false;
        }
        throw error("lsetxattr " + name, p);
    }

    /** The value of an extended attribute, or null when the file has none of that name. */
    static byte[] lgetxattr(Path p, String name) throws IOException {
        byte[] buf = new byte[256];
        while (true) {
            long n = LGETXATTR.callLong(cPath(p), name, buf, (long) buf.length);
            if (n >= 0) {
                return java.util.Arrays.copyOf(buf, (int) n);
            }
            int errno = Native.getLastError();
            if (errno == ENODATA) {
                return null;
            }
            if (errno != ERANGE) {
                throw error("lgetxattr " + name, p);
            }
            long size = LGETXATTR.callLong(cPath(p), name, null, 0L);
            buf = new byte[(int) Math.max(size, buf.length * 2L)];
        }
    }

    /** The names of a file's extended attributes (of the namespaces this process may read). */
    static List<String> llistxattr(Path p) throws IOException {
        byte[] buf = new byte[1024];
        long n;
        while (true) {
            n = LLISTXATTR.callLong(cPath(p), buf, (long) buf.length);
            if (n >= 0) {
                break;
            }
            if (Native.getLastError() != ERANGE) {
                throw error("llistxattr", p);
            }
            buf = new byte[buf.length * 4];
        }
        List<String> names = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < n; i++) {
            if (buf[i] == 0) {
                if (i > start) {
                    names.add(new String(buf, start, i - start, StandardCharsets.UTF_8));
                }
                start = i + 1;
            }
        }
        return names;
    }

    /** Sets access and modification times without following a symbolic link in the last component. */
    static void lutimes(Path p, long atimeSeconds, int atimeNanos, long mtimeSeconds, int mtimeNanos) throws IOException {
        long[] times = {atimeSeconds, atimeNanos, mtimeSeconds, mtimeNanos};
        if (UTIMENSAT.call(AT_FDCWD, cPath(p), times, AT_SYMLINK_NOFOLLOW) != 0) {
            throw error("utimensat", p);
        }
    }

    /** symlink(2): the target text is stored byte for byte (Path would normalise "a//b" and a trailing '/'). */
    static void symlink(byte[] target, Path link) throws IOException {
        byte[] cTarget = java.util.Arrays.copyOf(target, target.length + 1);
        if (SYMLINK.call(cTarget, cPath(link)) != 0) {
            throw error("symlink", link);
        }
    }

    /** readlink(2): a symbolic link's target text, byte for byte. */
    static byte[] readlink(Path link) throws IOException {
        byte[] buf = new byte[4096];
        long n = READLINK.callLong(cPath(link), buf, (long) buf.length);
        if (n < 0) {
            throw error("readlink", link);
        }
        return java.util.Arrays.copyOf(buf, (int) n);
    }
}
