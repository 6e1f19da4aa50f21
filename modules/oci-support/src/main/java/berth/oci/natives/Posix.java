package berth.oci.natives;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.ptr.IntByReference;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Small, checked wrappers over {@link LibC}: errors become IOExceptions that name the call and errno. */
public final class Posix {
    private Posix() {
    }

    public static IOException error(String what) {
        int errno = Native.getLastError();
        return new IOException(what + ": " + LibC.strerror(errno) + " (errno " + errno + ")");
    }

    /**
     * Spawns {@code argv} with the given environment. {@code fdMap} maps a child fd number to the
     * parent fd that becomes it; fds 0-2 not in the map are /dev/null; every other fd is closed in
     * the child. Returns the child's PID.
     */
    public static int spawn(String path, List<String> argv, Map<String, String> env, Map<Integer, Integer> fdMap,
                            boolean newSession) throws IOException {
        return spawn(path, argv, env, fdMap, newSession, null);
    }

    /** As {@link #spawn(String, List, Map, Map, boolean)}, in the working directory {@code workDir} (null: ours). */
    public static int spawn(String path, List<String> argv, Map<String, String> env, Map<Integer, Integer> fdMap,
                            boolean newSession, String workDir) throws IOException {
        Memory actions = new Memory(256);
        Memory attr = new Memory(512);
        actions.clear();
        attr.clear();
        if (LibC.posix_spawn_file_actions_init(actions) != 0 || LibC.posix_spawnattr_init(attr) != 0) {
            throw new IOException("posix_spawn init failed");
        }
        try {
            int maxChild = 2;
            for (int child = 0; child <= 2; child++) {
                if (!fdMap.containsKey(child)) {
                    LibC.posix_spawn_file_actions_addopen(actions, child, "/dev/null", child == 0 ? LibC.O_RDONLY : LibC.O_WRONLY, 0);
                }
            }
            for (Map.Entry<Integer, Integer> e : fdMap.entrySet()) {
                if (LibC.posix_spawn_file_actions_adddup2(actions, e.getValue(), e.getKey()) != 0) {
                    throw new IOException("posix_spawn_file_actions_adddup2 failed for fd " + e.getKey());
                }
                maxChild = Math.max(maxChild, e.getKey());
            }
            LibC.posix_spawn_file_actions_addclosefrom_np(actions, maxChild + 1);
            if (workDir != null) {
                LibC.posix_spawn_file_actions_addchdir_np(actions, workDir);
            }
            if (newSession) {
                LibC.posix_spawnattr_setflags(attr, (short) LibC.POSIX_SPAWN_SETSID);
            }
            List<String> envp = new java.util.ArrayList<>(env.size());
            for (Map.Entry<String, String> e : env.entrySet()) {
                envp.add(e.getKey() + "=" + e.getValue());
            }
            IntByReference pid = new IntByReference();
            int rc = LibC.posix_spawn(pid, path, actions, attr, cStringArray(argv), cStringArray(envp));
            if (rc != 0) {
                throw new IOException("cannot start " + path + ": " + LibC.strerror(rc));
            }
            return pid.getValue();
        } finally {
            LibC.posix_spawn_file_actions_destroy(actions);
            LibC.posix_spawnattr_destroy(attr);
        }
    }

    /**
     * A NULL-terminated {@code char *[]} and its strings in one native block. JNA's StringArray makes
     * one native allocation, with a cleaner, per string: some 80 for a conmon command line.
     */
    private static Memory cStringArray(List<String> strings) {
        int n = strings.size();
        byte[][] bytes = new byte[n][];
        long total = 0;
        for (int i = 0; i < n; i++) {
            bytes[i] = strings.get(i).getBytes(StandardCharsets.UTF_8);
            total += bytes[i].length + 1;
        }
        long table = (long) (n + 1) * Native.POINTER_SIZE;
        Memory m = new Memory(table + total);
        long off = table;
        for (int i = 0; i < n; i++) {
            m.write(off, bytes[i], 0, bytes[i].length);
            m.setByte(off + bytes[i].length, (byte) 0);
            m.setPointer((long) i * Native.POINTER_SIZE, m.share(off));
            off += bytes[i].length + 1;
        }
        m.setPointer((long) n * Native.POINTER_SIZE, null);
        return m;
    }

    /**
     * Runs each native call that {@link #spawn} makes once, without starting a process, so that JNA's
     * first-call work (argument conversion paths, symbol lookup; about 2 ms) happens on a background
     * thread rather than while conmon is being started.
     */
    public static void warmUp() {
        Memory actions = new Memory(256);
        Memory attr = new Memory(512);
        actions.clear();
        attr.clear();
        if (LibC.posix_spawn_file_actions_init(actions) == 0) {
            LibC.posix_spawn_file_actions_addopen(actions, 0, "/dev/null", LibC.O_RDONLY, 0);
            LibC.posix_spawn_file_actions_adddup2(actions, 1, 1);
            LibC.posix_spawn_file_actions_addclosefrom_np(actions, 3);
            LibC.posix_spawn_file_actions_addchdir_np(actions, "/");
            LibC.posix_spawn_file_actions_destroy(actions);
        }
        if (LibC.posix_spawnattr_init(attr) == 0) {
            LibC.posix_spawnattr_setflags(attr, (short) 0);
            LibC.posix_spawnattr_destroy(attr);
        }
        cStringArray(List.of("warm-up"));
        // no process has this PID as our child: ECHILD at once, nothing reaped
        LibC.waitpid(Integer.MAX_VALUE, new IntByReference(), 1 /* WNOHANG */);
        LibC.isatty(0);
    }

    /** Waits for a child; returns its exit code (128+signal if killed). */
    public static int waitFor(int pid) throws IOException {
        IntByReference status = new IntByReference();
        while (true) {
            int r = LibC.waitpid(pid, status, 0);
            if (r == pid) {
                int s = status.getValue();
                int sig = s & 0x7f;
                return sig == 0 ? (s >> 8) & 0xff : 128 + sig;
            }
            if (r < 0 && Native.getLastError() != LibC.EINTR) {
                throw error("waitpid " + pid);
            }
        }
    }

    /** A pipe, both ends close-on-exec: {read, write}. */
    public static int[] pipe() throws IOException {
        int[] fds = new int[2];
        if (LibC.pipe2(fds, LibC.O_CLOEXEC) != 0) {
            throw error("pipe2");
        }
        return fds;
    }

    /** Result of {@link #runCaptured}: exit code and the merged stdout and stderr. */
    public record Captured(int exitCode, String output) {
    }

    /**
     * Runs a short helper command (a runtime's start, kill, delete) with stdout and stderr captured
     * together. posix_spawn directly: no jspawnhelper in between, as ProcessBuilder would have.
     */
    public static Captured runCaptured(List<String> argv, Map<String, String> env) throws IOException {
        int[] p = pipe();
        int pid;
        try {
            pid = spawn(argv.get(0), argv, env, Map.of(1, p[1], 2, p[1]), false);
        } finally {
            close(p[1]);
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        try {
            int n;
            while ((n = read(p[0], buf)) > 0) {
                out.write(buf, 0, n);
            }
        } finally {
            close(p[0]);
        }
        return new Captured(waitFor(pid), out.toString(StandardCharsets.UTF_8));
    }

    /** A SOCK_SEQPACKET socket pair, both ends close-on-exec (spawn's dup2 clears it in the child). */
    public static int[] seqpacketPair() throws IOException {
        int[] fds = new int[2];
        if (LibC.socketpair(LibC.AF_UNIX, LibC.SOCK_SEQPACKET | LibC.SOCK_CLOEXEC, 0, fds) != 0) {
            throw error("socketpair");
        }
        return fds;
    }

    /**
     * Connects a SOCK_SEQPACKET socket to {@code dir/name}. The directory is opened first and the
     * socket reached through /proc/self/fd, so a long path does not overflow sun_path.
     */
    public static int connectSeqpacket(String dir, String name) throws IOException {
        int dfd = LibC.open(dir, LibC.O_PATH | LibC.O_DIRECTORY | LibC.O_CLOEXEC, 0);
        if (dfd < 0) {
            throw error("open " + dir);
        }
        try {
            int fd = LibC.socket(LibC.AF_UNIX, LibC.SOCK_SEQPACKET | LibC.SOCK_CLOEXEC, 0);
            if (fd < 0) {
                throw error("socket");
            }
            byte[] path = ("/proc/self/fd/" + dfd + "/" + name).getBytes(StandardCharsets.UTF_8);
            byte[] addr = new byte[110];
            addr[0] = (byte) LibC.AF_UNIX;
            System.arraycopy(path, 0, addr, 2, path.length);
            if (LibC.connect(fd, addr, 2 + path.length + 1) != 0) {
                IOException e = error("connect " + dir + "/" + name);
                LibC.close(fd);
                throw e;
            }
            return fd;
        } finally {
            LibC.close(dfd);
        }
    }

    /** Reads up to buf.length bytes; -1 on error other than EINTR, 0 at end of stream. */
    public static int read(int fd, byte[] buf) {
        while (true) {
            int n = LibC.read(fd, buf, buf.length);
            if (n >= 0 || Native.getLastError() != LibC.EINTR) {
                return n;
            }
        }
    }

    public static void writeFully(int fd, byte[] buf, int len) throws IOException {
        byte[] b = buf;
        int off = 0;
        while (off < len) {
            byte[] chunk = off == 0 ? b : java.util.Arrays.copyOfRange(b, off, len);
            int n = LibC.write(fd, chunk, len - off);
            if (n < 0) {
                if (Native.getLastError() == LibC.EINTR) {
                    continue;
                }
                throw error("write");
            }
            off += n;
        }
    }

    public static void close(int fd) {
        if (fd >= 0) {
            LibC.close(fd);
        }
    }

    public static void shutdownWrite(int fd) {
        LibC.shutdown(fd, LibC.SHUT_WR);
    }

    /** Shuts both directions of a socket: a thread blocked reading it sees end of stream. */
    public static void shutdownBoth(int fd) {
        LibC.shutdown(fd, LibC.SHUT_RDWR);
    }

    /** kill(2); returns false if the process does not exist. */
    public static boolean kill(int pid, int signal) {
        if (pid <= 0) {
            return false;
        }
        return LibC.kill(pid, signal) == 0;
    }

    public static boolean alive(int pid) {
        if (pid <= 0) {
            return false;
        }
        return LibC.kill(pid, 0) == 0 || Native.getLastError() != LibC.ESRCH;
    }

    /**
     * Alive and not a zombie: a process that has exited but whose parent (for a daemonised monitor,
     * PID 1) has not reaped it yet still answers kill(0), sometimes for seconds.
     */
    public static boolean running(int pid) {
        return berth.support.ProcStat.running(pid);
    }

    public static boolean isTerminal(int fd) {
        return LibC.isatty(fd) == 1;
    }

    /** Puts the terminal in raw mode; returns the previous settings for {@link #restoreTerminal}. */
    public static byte[] makeRaw(int fd) {
        byte[] old = new byte[64];
        if (LibC.tcgetattr(fd, old) != 0) {
            return null;
        }
        byte[] raw = old.clone();
        LibC.cfmakeraw(raw);
        LibC.tcsetattr(fd, LibC.TCSANOW, raw);
        return old;
    }

    public static void restoreTerminal(int fd, byte[] saved) {
        if (saved != null) {
            LibC.tcsetattr(fd, LibC.TCSANOW, saved);
        }
    }

    /** The terminal's size as {rows, columns}, or null when fd is no terminal. */
    public static int[] windowSize(int fd) {
        byte[] ws = new byte[8];
        if (LibC.ioctl(fd, LibC.TIOCGWINSZ, ws) != 0) {
            return null;
        }
        int rows = (ws[0] & 0xff) | (ws[1] & 0xff) << 8;
        int cols = (ws[2] & 0xff) | (ws[3] & 0xff) << 8;
        return new int[] {rows, cols};
    }
}
