package berth.engine.internal;

import com.sun.jna.Function;
import com.sun.jna.LastErrorException;
import com.sun.jna.NativeLibrary;

/**
 * The libc calls that make and remove a network namespace without starting a process: unshare,
 * mount, umount2, and the socket and ioctl that bring its loopback up. Through JNA {@link Function}
 * handles (one dlsym each, resolved on first use), as the OCI support module does: a {@code Library}
 * proxy costs several ms of a CLI's start-up. Linux, glibc, x86_64 and aarch64 (same constants).
 */
final class NetNsCalls {
    static final int CLONE_NEWNET = 0x40000000;
    static final long MS_BIND = 4096;
    static final int MNT_DETACH = 2;
    static final int AF_INET = 2;
    static final int SOCK_DGRAM = 2;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int SIOCGIFFLAGS = 0x8913;
    static final int SIOCSIFFLAGS = 0x8914;
    static final short IFF_UP = 1;
    static final int EINVAL = 22;
    static final int ENOENT = 2;
    /** struct ifreq: a 16-byte name, then a 24-byte union whose first member here is the short flags. */
    static final int IFREQ_SIZE = 40;
    static final int IFREQ_FLAGS_OFFSET = 16;

    private NetNsCalls() {
    }

    private static final class Fns {
        // by soname, so dlopen finds the loaded libc at once
        static final NativeLibrary C = NativeLibrary.getInstance("libc.so.6");
        static final Function UNSHARE = C.getFunction("unshare", Function.THROW_LAST_ERROR);
        static final Function MOUNT = C.getFunction("mount", Function.THROW_LAST_ERROR);
        static final Function UMOUNT2 = C.getFunction("umount2", Function.THROW_LAST_ERROR);
        static final Function SOCKET = C.getFunction("socket", Function.THROW_LAST_ERROR);
        static final Function IOCTL = C.getFunction("ioctl", Function.THROW_LAST_ERROR);
        static final Function CLOSE = C.getFunction("close", Function.THROW_LAST_ERROR);
    }

    /** unshare(2) for the calling thread; namespaces other than the mount namespace are per thread. */
    static void unshare(int flags) throws LastErrorException {
        Fns.UNSHARE.invokeInt(new Object[] {flags});
    }

    static void bindMount(String source, String target) throws LastErrorException {
        Fns.MOUNT.invokeInt(new Object[] {source, target, "none", MS_BIND, null});
    }

    /** umount2(MNT_DETACH); false when the target was no mount point or is gone. */
    static boolean detach(String target) throws LastErrorException {
        try {
            Fns.UMOUNT2.invokeInt(new Object[] {target, MNT_DETACH});
            return true;
        } catch (LastErrorException e) {
            if (e.getErrorCode() == EINVAL || e.getErrorCode() == ENOENT) {
                return false;
            }
            throw e;
        }
    }

    /** Sets IFF_UP on an interface of the calling thread's network namespace (the socket's namespace). */
    static void linkUp(String ifName) throws LastErrorException {
        int fd = Fns.SOCKET.invokeInt(new Object[] {AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0});
        try {
            byte[] ifreq = new byte[IFREQ_SIZE];
            byte[] name = ifName.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            System.arraycopy(name, 0, ifreq, 0, Math.min(name.length, 15));
            Fns.IOCTL.invokeInt(new Object[] {fd, SIOCGIFFLAGS, ifreq}); // JNA copies the array back
            ifreq[IFREQ_FLAGS_OFFSET] |= IFF_UP; // little-endian: IFF_UP is in the low byte
            Fns.IOCTL.invokeInt(new Object[] {fd, SIOCSIFFLAGS, ifreq});
        } finally {
            Fns.CLOSE.invokeInt(new Object[] {fd});
        }
    }

    static String strerror(LastErrorException e) {
        String m = e.getMessage();
        return m == null ? "errno " + e.getErrorCode() : m.replaceFirst("^\\[\\d+\\]\\s*", "") + " (errno " + e.getErrorCode() + ")";
    }
}
