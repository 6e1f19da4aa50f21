package berth.oci.conmon;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.json.Json;
import berth.kernel.json.JsonObject;
import berth.kernel.spi.runtime.RuntimeContainer;
import berth.kernel.trace.Trace;
import berth.oci.natives.Posix;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Spawns conmon with its sync (fd 3), start (fd 4) and, for an attached exec, attach (fd 5) pipes,
 * and reads what it reports on them: one JSON object per message whose {@code data} is a PID, an exit
 * code, or negative for a failure.
 */
final class ConmonLauncher {
    private final Path conmon;

    ConmonLauncher(Path conmon) {
        this.conmon = conmon;
    }

    /** One message from conmon. */
    record SyncReply(int data, String message) {
    }

    /** The parent's ends of a running exec's pipes; the caller closes them. */
    static final class ExecPipes {
        final boolean attach;
        int syncFd = -1;
        int startFd = -1;
        int attachFd = -1;

        ExecPipes(boolean attach) {
            this.attach = attach;
        }

        void close() {
            Posix.close(syncFd);
            Posix.close(startFd);
        }
    }

    /** Spawns conmon to create a container and returns its first reply: the container's PID, or the failure. */
    SyncReply create(RuntimeContainer c, List<String> argv, Path workDir) {
        return spawn(c, argv, workDir, null);
    }

    /**
     * Spawns conmon for an exec session. Attached, it returns once conmon has made the session's attach
     * socket, with the start pipe still open so the caller connects before the process runs; detached,
     * with conmon's first reply (the PID). Attached, the PID is still to be read from
     * {@link ExecPipes#syncFd} and this returns empty. The caller closes {@code pipes}, also when this fails.
     */
    Optional<SyncReply> exec(RuntimeContainer c, List<String> argv, Path workDir, ExecPipes pipes) {
        return Optional.ofNullable(spawn(c, argv, workDir, pipes));
    }

    private SyncReply spawn(RuntimeContainer c, List<String> argv, Path workDir, ExecPipes exec) {
        int[] sync;
        int[] start;
        int[] attach = null;
        try {
            Trace.mark("conmon: preparing pipes");
            sync = Posix.seqpacketPair();
            Trace.mark("conmon: native library ready, pipes made");
            start = Posix.seqpacketPair();
            if (exec != null && exec.attach) {
                attach = Posix.seqpacketPair();
            }
        } catch (IOException e) {
            throw new BerthException(ErrorCode.INTERNAL, "cannot create pipes for conmon: " + e.getMessage(), e);
        }
        // --preserve-fds N (create only): fds 3..3+N-1 pass to conmon as they are, its pipes follow (libpod's layout)
        int preserved = exec == null ? c.preserveFds() : 0;
        Map<String, String> envp = environment(attach != null, 3 + preserved);
        Map<Integer, Integer> fds = new LinkedHashMap<>();
        fds.put(2, 2);
        for (int fd = 3; fd < 3 + preserved; fd++) {
            fds.put(fd, fd);
        }
        fds.put(3 + preserved, sync[1]);
        fds.put(4 + preserved, start[1]);
        if (attach != null) {
            fds.put(5, attach[1]);
        }
        int pid;
        int parentPid = -1;
        try {
            Trace.mark("conmon: spawning");
            // in the bundle, as podman does: conmon and the runtime resolve relative paths against it
            pid = Posix.spawn(conmon.toString(), argv, envp, fds, false, workDir.toString());
        } catch (IOException e) {
            throw new BerthException(ErrorCode.RUNTIME_MISSING, "cannot start conmon for container " + c.id() + ": " + e.getMessage(), e);
        } finally {
            Posix.close(sync[1]);
            Posix.close(start[1]);
            if (attach != null) {
                Posix.close(attach[1]);
            }
        }
        try {
            Trace.mark("conmon: spawned");
            // conmon waits for this byte so that the parent may first move it to a cgroup
            Posix.writeFully(start[0], new byte[] {0}, 1);
            if (exec == null || !exec.attach) {
                Posix.close(start[0]);
            }
            // the first conmon process exits once it has forked its monitor; reaped after the reply
            // (its exit closes its copy of the sync pipe, so a conmon that dies early gives EOF there)
            parentPid = pid;
            if (exec != null) {
                exec.syncFd = sync[0];
                exec.startFd = start[0];
                exec.attachFd = attach == null ? -1 : attach[0];
                if (exec.attach) {
                    // wait until conmon has made the exec's attach socket, then connect and let the process run
                    readReply(attach[0], c, "attach");
                    Posix.close(attach[0]);
                    exec.attachFd = -1;
                    return null;
                }
            }
            SyncReply r = readReply(sync[0], c, "sync");
            Trace.mark("conmon: sync reply read");
            return r;
        } catch (BerthException e) {
            int rc = reap(parentPid);
            if (rc != 0) {
                throw new BerthException(e.code(), e.getMessage() + " (conmon exited with code " + rc + ")", e);
            }
            throw e;
        } catch (IOException e) {
            throw new BerthException(ErrorCode.RUNTIME_ERROR, "talking to conmon of container " + c.id() + ": " + e.getMessage(), e);
        } finally {
            if (exec == null) {
                Posix.close(sync[0]);
            }
            reap(parentPid);
        }
    }

    private static Map<String, String> environment(boolean attachPipe, int syncFd) {
        Map<String, String> envp = new LinkedHashMap<>();
        envp.put("PATH", System.getenv().getOrDefault("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"));
        envp.put("HOME", System.getenv().getOrDefault("HOME", "/root"));
        String xdg = System.getenv("XDG_RUNTIME_DIR");
        if (xdg != null) {
            envp.put("XDG_RUNTIME_DIR", xdg);
        }
        envp.put("_OCI_SYNCPIPE", Integer.toString(syncFd));
        envp.put("_OCI_STARTPIPE", Integer.toString(syncFd + 1));
        if (attachPipe) {
            envp.put("_OCI_ATTACHPIPE", "5");
        }
        return envp;
    }

    /** Waits for conmon's first process (idempotent: -1 once reaped). */
    private static int reap(int pid) {
        if (pid <= 0) {
            return 0;
        }
        try {
            return Posix.waitFor(pid);
        } catch (IOException e) {
            return 0; // already reaped
        }
    }

    /** Reads one message; conmon closing the pipe first is a failure, told with the runtime's own last error. */
    static SyncReply readReply(int fd, RuntimeContainer c, String pipe) throws IOException {
        byte[] buf = new byte[8192];
        int n = Posix.read(fd, buf);
        if (n <= 0) {
            String log = RuntimeFailures.lastLoggedError(c);
            throw new BerthException(ErrorCode.RUNTIME_ERROR, "conmon closed the " + pipe + " pipe of container " + c.id()
                    + " without reporting" + (log.isEmpty() ? "" : ": " + log));
        }
        JsonObject o = Json.parseObject(new String(buf, 0, n, StandardCharsets.UTF_8).strip());
        return new SyncReply(o.integer("data", -1), o.str("message"));
    }
}
