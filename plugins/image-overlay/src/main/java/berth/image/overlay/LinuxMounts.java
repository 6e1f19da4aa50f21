package berth.image.overlay;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.support.MountInfo;
import com.sun.jna.Function;
import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * mount(2), umount2(2) and the new mount API (fsopen, fsconfig, fsmount, move_mount) through JNA:
 * no mount process is started, as containers/storage calls the syscalls itself.
 */
final class LinuxMounts {
    static final long MS_BIND = 4096;
    static final long MS_PRIVATE = 1 << 18;
    static final int MNT_DETACH = 2;
    private static final int EINVAL = 22;

    // the new mount API's syscall numbers are the same on every architecture (asm-generic, 5.2+)
    private static final long SYS_MOVE_MOUNT = 429;
    private static final long SYS_FSOPEN = 430;
    private static final long SYS_FSCONFIG = 431;
    private static final long SYS_FSMOUNT = 432;
    private static final long FSOPEN_CLOEXEC = 1;
    private static final long FSCONFIG_SET_STRING = 1;
    private static final long FSCONFIG_CMD_CREATE = 6;
    private static final long FSMOUNT_CLOEXEC = 1;
    private static final long MOVE_MOUNT_F_EMPTY_PATH = 4;
    private static final long AT_FDCWD = -100;

    /**
     * The calls of every image run, through JNA {@link Function} handles (one dlsym each, on first
     * use): a {@link Library} interface is a dynamic proxy whose reflection and per-method lookup,
     * like direct mapping's registration, cost a cold run 10 to 20 ms of CPU. THROW_LAST_ERROR makes
     * a failing call throw {@link LastErrorException} with errno, as the interface did.
     */
    private static final class Calls {
        // by soname, so dlopen finds the loaded libc at once (a bare "c" makes JNA search the library path)
        private static final NativeLibrary C = NativeLibrary.getInstance("libc.so.6");
        static final Function MOUNT = C.getFunction("mount", Function.THROW_LAST_ERROR);
        static final Function UMOUNT2 = C.getFunction("umount2", Function.THROW_LAST_ERROR);
        static final Function GETPAGESIZE = C.getFunction("getpagesize");

        private Calls() {
        }
    }

    /** syscall(2), variadic, for the new mount API: only a layer stack too deep for mount(2) uses it. */
    private interface Syscalls extends Library {
        long syscall(long number, Object... args) throws LastErrorException;

        int close(int fd) throws LastErrorException;
    }

    private static final class Holder {
        static final Syscalls C = Native.load("c", Syscalls.class);
    }

    private LinuxMounts() {
    }

    static int pageSize() {
        return Calls.GETPAGESIZE.invokeInt(new Object[0]);
    }

    static void mount(String source, Path target, String type, long flags, String data) {
        try {
            Calls.MOUNT.invokeInt(new Object[] {source, target.toString(), type, flags, data});
        } catch (LastErrorException e) {
            throw new BerthException(ErrorCode.INTERNAL, "cannot mount " + type + " on " + target + " (data \"" + data + "\"): "
                    + strerror(e), e);
        }
    }

    /** Unmounts (lazily, MNT_DETACH); a target that is not mounted is no error. */
    static void unmount(Path target) {
        try {
            Calls.UMOUNT2.invokeInt(new Object[] {target.toString(), MNT_DETACH});
        } catch (LastErrorException e) {
            if (e.getErrorCode() != EINVAL && e.getErrorCode() != 2) { // EINVAL: not a mount point; ENOENT: gone
                throw new BerthException(ErrorCode.INTERNAL, "cannot unmount " + target + ": " + strerror(e), e);
            }
        }
    }

    /**
     * Mounts overlayfs with the new mount API, one {@code lowerdir+} call per lower layer (Linux
     * 6.8+): mount(2)'s single data page cannot hold the options of a deep layer stack, and
     * containers/storage's way out (chdir to the driver home and relative paths) changes the working
     * directory of the whole process, which a JVM's other threads would see.
     */
    static void mountOverlayByParts(List<Path> lowers, Path upper, Path work, Path target) {
        Syscalls c = Holder.C;
        int fs = -1;
        int mnt = -1;
        try {
            fs = (int) c.syscall(SYS_FSOPEN, "overlay", FSOPEN_CLOEXEC);
            for (Path lower : lowers) {
                c.syscall(SYS_FSCONFIG, (long) fs, FSCONFIG_SET_STRING, "lowerdir+", lower.toString(), 0L);
            }
            c.syscall(SYS_FSCONFIG, (long) fs, FSCONFIG_SET_STRING, "upperdir", upper.toString(), 0L);
            c.syscall(SYS_FSCONFIG, (long) fs, FSCONFIG_SET_STRING, "workdir", work.toString(), 0L);
            c.syscall(SYS_FSCONFIG, (long) fs, FSCONFIG_CMD_CREATE, null, null, 0L);
            mnt = (int) c.syscall(SYS_FSMOUNT, (long) fs, FSMOUNT_CLOEXEC, 0L);
            c.syscall(SYS_MOVE_MOUNT, (long) mnt, "", AT_FDCWD, target.toString(), MOVE_MOUNT_F_EMPTY_PATH);
        } catch (LastErrorException e) {
            throw new BerthException(ErrorCode.INTERNAL, "cannot mount overlay of " + lowers.size() + " layers on " + target
                    + " (fsopen/fsconfig lowerdir+ needs Linux 6.8): " + strerror(e), e);
        } finally {
            closeQuietly(mnt);
            closeQuietly(fs);
        }
    }

    /** Whether {@code path} is a mount point, from /proc/self/mountinfo. */
    static boolean isMountPoint(Path path) {
        try {
            return MountInfo.isMountPoint(path);
        } catch (IOException e) {
            throw new BerthException(ErrorCode.INTERNAL, "cannot read /proc/self/mountinfo: " + e.getMessage(), e);
        }
    }

    private static void closeQuietly(int fd) {
        if (fd >= 0) {
            try {
                Holder.C.close(fd);
            } catch (LastErrorException ignored) {
                // nothing to do
            }
        }
    }

    private static String strerror(LastErrorException e) {
        return e.getMessage() + " (errno " + e.getErrorCode() + ")";
    }
}
