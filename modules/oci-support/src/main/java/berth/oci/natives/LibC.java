package berth.oci.natives;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.StringArray;
import com.sun.jna.ptr.IntByReference;

/**
 * The few libc calls Java cannot make: posix_spawn with file actions (to hand conmon its sync and
 * start pipes as fds 3 and 4; ProcessBuilder cannot), SOCK_SEQPACKET sockets (conmon's attach socket;
 * the JDK supports only SOCK_STREAM), and terminal control. Linux x86_64/aarch64, glibc.
 */
public interface LibC extends Library {
    // by soname: "c" makes JNA search the library path (and run ldconfig -p), ~10 ms of start-up
    LibC INSTANCE = Native.load("libc.so.6", LibC.class);

    int AF_UNIX = 1;
    int SOCK_SEQPACKET = 5;
    int SOCK_CLOEXEC = 0x80000;
    int O_RDONLY = 0;
    int O_WRONLY = 1;
    int O_RDWR = 2;
    int O_CLOEXEC = 0x80000;
    int O_DIRECTORY = 0x10000;
    int O_PATH = 0x200000;
    int O_NONBLOCK = 0x800;
    int SHUT_WR = 1;
    int POSIX_SPAWN_SETSID = 0x80;
    int POSIX_SPAWN_SETPGROUP = 0x02;
    int TIOCGWINSZ = 0x5413;
    int TCSANOW = 0;
    int EINTR = 4;
    int ESRCH = 3;
    int EAGAIN = 11;

    int posix_spawn(IntByReference pid, String path, Pointer fileActions, Pointer attr, StringArray argv, StringArray envp);

    int posix_spawn_file_actions_init(Pointer fileActions);

    int posix_spawn_file_actions_destroy(Pointer fileActions);

    int posix_spawn_file_actions_adddup2(Pointer fileActions, int fd, int newFd);

    /** glibc 2.29+: the child's working directory. */
    int posix_spawn_file_actions_addchdir_np(Pointer fileActions, String path);

    int posix_spawn_file_actions_addopen(Pointer fileActions, int fd, String path, int flags, int mode);

    /** glibc 2.34+: closes every fd from lowFd up in the child, so no JVM descriptor leaks into conmon. */
    int posix_spawn_file_actions_addclosefrom_np(Pointer fileActions, int lowFd);

    int posix_spawnattr_init(Pointer attr);

    int posix_spawnattr_setflags(Pointer attr, short flags);

    int posix_spawnattr_destroy(Pointer attr);

    int waitpid(int pid, IntByReference status, int options);

    int socketpair(int domain, int type, int protocol, int[] fds);

    int pipe2(int[] fds, int flags);

    int socket(int domain, int type, int protocol);

    int connect(int fd, byte[] addr, int len);

    int open(String path, int flags, int mode);

    int read(int fd, byte[] buf, long count);

    int write(int fd, byte[] buf, long count);

    int close(int fd);

    int shutdown(int fd, int how);

    int kill(int pid, int sig);

    int isatty(int fd);

    int tcgetattr(int fd, byte[] termios);

    int tcsetattr(int fd, int action, byte[] termios);

    void cfmakeraw(byte[] termios);

    int ioctl(int fd, long request, byte[] arg);

    String strerror(int errnum);
}
