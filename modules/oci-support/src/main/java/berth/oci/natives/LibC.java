package berth.oci.natives;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;

/**
 * The few libc calls Java cannot make: posix_spawn with file actions (to hand conmon its sync and
 * start pipes as fds 3 and 4; ProcessBuilder cannot), SOCK_SEQPACKET sockets (conmon's attach socket;
 * the JDK supports only SOCK_STREAM), and terminal control. Linux x86_64/aarch64, glibc.
 *
 * <p>Calls go through JNA {@link Function} handles rather than a {@code Library} interface: the
 * interface proxy, its reflection and per-method lookup cost about 7 ms of a CLI command's start-up;
 * a handle costs one dlsym. Arguments follow JNA's usual mapping (primitive arrays are passed by
 * reference and copied back, Strings as NUL-terminated C strings).
 */
final class LibC {
    // by soname, so dlopen finds the loaded libc at once (a bare "c" makes JNA search the library path)
    private static final NativeLibrary C = NativeLibrary.getInstance("libc.so.6");

    static final int AF_UNIX = 1;
    static final int SOCK_SEQPACKET = 5;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int O_RDONLY = 0;
    static final int O_WRONLY = 1;
    static final int O_CLOEXEC = 0x80000;
    static final int O_DIRECTORY = 0x10000;
    static final int O_PATH = 0x200000;
    static final int SHUT_WR = 1;
    static final int SHUT_RDWR = 2;
    static final int POSIX_SPAWN_SETSID = 0x80;
    static final int TIOCGWINSZ = 0x5413;
    static final int TCSANOW = 0;
    static final int EINTR = 4;
    static final int ESRCH = 3;

    private LibC() {
    }

    /** One libc function, resolved (dlsym) on first use. */
    private static final class Fn {
        private final String name;
        private volatile Function handle;

        Fn(String name) {
            this.name = name;
        }

        Function handle() {
            Function h = handle;
            if (h == null) {
                handle = h = C.getFunction(name);
            }
            return h;
        }

        int call(Object... args) {
            return handle().invokeInt(args);
        }
    }

    private static final Fn POSIX_SPAWN = new Fn("posix_spawn");
    private static final Fn FA_INIT = new Fn("posix_spawn_file_actions_init");
    private static final Fn FA_DESTROY = new Fn("posix_spawn_file_actions_destroy");
    private static final Fn FA_DUP2 = new Fn("posix_spawn_file_actions_adddup2");
    private static final Fn FA_CHDIR = new Fn("posix_spawn_file_actions_addchdir_np");
    private static final Fn FA_OPEN = new Fn("posix_spawn_file_actions_addopen");
    private static final Fn FA_CLOSEFROM = new Fn("posix_spawn_file_actions_addclosefrom_np");
    private static final Fn ATTR_INIT = new Fn("posix_spawnattr_init");
    private static final Fn ATTR_SETFLAGS = new Fn("posix_spawnattr_setflags");
    private static final Fn ATTR_DESTROY = new Fn("posix_spawnattr_destroy");
    private static final Fn WAITPID = new Fn("waitpid");
    private static final Fn SOCKETPAIR = new Fn("socketpair");
    private static final Fn PIPE2 = new Fn("pipe2");
    private static final Fn SOCKET = new Fn("socket");
    private static final Fn CONNECT = new Fn("connect");
    private static final Fn OPEN = new Fn("open");
    private static final Fn READ = new Fn("read");
    private static final Fn WRITE = new Fn("write");
    private static final Fn CLOSE = new Fn("close");
    private static final Fn SHUTDOWN = new Fn("shutdown");
    private static final Fn KILL = new Fn("kill");
    private static final Fn ISATTY = new Fn("isatty");
    private static final Fn TCGETATTR = new Fn("tcgetattr");
    private static final Fn TCSETATTR = new Fn("tcsetattr");
    private static final Fn CFMAKERAW = new Fn("cfmakeraw");
    private static final Fn IOCTL = new Fn("ioctl");
    private static final Fn STRERROR = new Fn("strerror");

    static int posix_spawn(IntByReference pid, String path, Pointer fileActions, Pointer attr, Pointer argv, Pointer envp) {
        return POSIX_SPAWN.call(pid, path, fileActions, attr, argv, envp);
    }

    static int posix_spawn_file_actions_init(Pointer fileActions) {
        return FA_INIT.call(fileActions);
    }

    static int posix_spawn_file_actions_destroy(Pointer fileActions) {
        return FA_DESTROY.call(fileActions);
    }

    static int posix_spawn_file_actions_adddup2(Pointer fileActions, int fd, int newFd) {
        return FA_DUP2.call(fileActions, fd, newFd);
    }

    /** glibc 2.29+: the child's working directory. */
    static int posix_spawn_file_actions_addchdir_np(Pointer fileActions, String path) {
        return FA_CHDIR.call(fileActions, path);
    }

    static int posix_spawn_file_actions_addopen(Pointer fileActions, int fd, String path, int flags, int mode) {
        return FA_OPEN.call(fileActions, fd, path, flags, mode);
    }

    /** glibc 2.34+: closes every fd from lowFd up in the child, so no JVM descriptor leaks into conmon. */
    static int posix_spawn_file_actions_addclosefrom_np(Pointer fileActions, int lowFd) {
        return FA_CLOSEFROM.call(fileActions, lowFd);
    }

    static int posix_spawnattr_init(Pointer attr) {
        return ATTR_INIT.call(attr);
    }

    static int posix_spawnattr_setflags(Pointer attr, short flags) {
        return ATTR_SETFLAGS.call(attr, flags);
    }

    static int posix_spawnattr_destroy(Pointer attr) {
        return ATTR_DESTROY.call(attr);
    }

    static int waitpid(int pid, IntByReference status, int options) {
        return WAITPID.call(pid, status, options);
    }

    static int socketpair(int domain, int type, int protocol, int[] fds) {
        return SOCKETPAIR.call(domain, type, protocol, fds);
    }

    static int pipe2(int[] fds, int flags) {
        return PIPE2.call(fds, flags);
    }

    static int socket(int domain, int type, int protocol) {
        return SOCKET.call(domain, type, protocol);
    }

    static int connect(int fd, byte[] addr, int len) {
        return CONNECT.call(fd, addr, len);
    }

    static int open(String path, int flags, int mode) {
        return OPEN.call(path, flags, mode);
    }

    static int read(int fd, byte[] buf, long count) {
        return READ.call(fd, buf, count);
    }

    static int write(int fd, byte[] buf, long count) {
        return WRITE.call(fd, buf, count);
    }

    static int close(int fd) {
        return CLOSE.call(fd);
    }

    static int shutdown(int fd, int how) {
        return SHUTDOWN.call(fd, how);
    }

    static int kill(int pid, int sig) {
        return KILL.call(pid, sig);
    }

    static int isatty(int fd) {
        return ISATTY.call(fd);
    }

    static int tcgetattr(int fd, byte[] termios) {
        return TCGETATTR.call(fd, termios);
    }

    static int tcsetattr(int fd, int action, byte[] termios) {
        return TCSETATTR.call(fd, action, termios);
    }

    static void cfmakeraw(byte[] termios) {
        CFMAKERAW.handle().invokeVoid(new Object[] {termios});
    }

    static int ioctl(int fd, long request, byte[] arg) {
        return IOCTL.call(fd, request, arg);
    }

    static String strerror(int errnum) {
        return STRERROR.handle().invokeString(new Object[] {errnum}, false);
    }
}
