package berth.oci.conmon;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.json.Json;
import berth.kernel.json.JsonObject;
import berth.kernel.model.AttachStreams;
import berth.kernel.spi.runtime.ExecRequest;
import berth.kernel.spi.runtime.ExecResult;
import berth.kernel.spi.runtime.RuntimeContainer;
import berth.oci.natives.Posix;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An exec session through conmon: the process.json, conmon with {@code -e}, the attach socket made
 * before the process runs (so no output is lost), and the exit code conmon reports on the sync pipe.
 */
final class ConmonExec {
    private final ConmonCommand command;
    private final ConmonLauncher launcher;

    ConmonExec(ConmonCommand command, ConmonLauncher launcher) {
        this.command = command;
        this.launcher = launcher;
    }

    ExecResult run(RuntimeContainer c, ExecRequest req, AttachStreams streams) {
        Path execDir = ExecFiles.dir(c, req.sessionId());
        Path processSpec = execDir.resolve("process.json");
        try {
            Files.createDirectories(execDir.resolve("exit"));
            Files.writeString(processSpec, Json.write(processSpec(c, req)));
        } catch (IOException e) {
            throw new BerthException(ErrorCode.INTERNAL, "cannot prepare exec session in container " + c.id() + ": " + e.getMessage(), e);
        }
        boolean attached = !req.detach();
        ConmonLauncher.ExecPipes pipes = new ConmonLauncher.ExecPipes(attached);
        // the runtime moves the new process into the container's cgroups before its PID is reported
        CgroupLockPrimer.Hold ready = CgroupLockPrimer.hold();
        try {
            Optional<ConmonLauncher.SyncReply> detachedPid =
                    launcher.exec(c, command.exec(c, req, execDir, processSpec, attached), execDir, pipes);
            int sockFd = -1;
            if (attached) {
                try {
                    sockFd = Posix.connectSeqpacket(execDir.toString(), "attach");
                } catch (IOException e) {
                    throw new BerthException(ErrorCode.RUNTIME_ERROR, "cannot attach to exec session in container " + c.name() + ": " + e.getMessage(), e);
                }
                // connected: let the process run
                Posix.writeFully(pipes.startFd, new byte[] {0}, 1);
                Posix.close(pipes.startFd);
                pipes.startFd = -1;
            }
            // detached, the launcher has read the PID already; reading again would wait for the exit
            ConmonLauncher.SyncReply pidReply = detachedPid.isPresent() ? detachedPid.get()
                    : ConmonLauncher.readReply(pipes.syncFd, c, "sync");
            ready.close();
            if (pidReply.data() < 0) {
                Posix.close(sockFd);
                throw RuntimeFailures.of(c, pidReply.message());
            }
            if (!attached) {
                return new ExecResult(req.sessionId(), pidReply.data(), -1);
            }
            AttachPump.pump(sockFd, streams, req.interactive() || req.terminal());
            ConmonLauncher.SyncReply exit = ConmonLauncher.readReply(pipes.syncFd, c, "sync");
            return new ExecResult(req.sessionId(), pidReply.data(), exit.data());
        } catch (IOException e) {
            throw new BerthException(ErrorCode.RUNTIME_ERROR, "exec in container " + c.name() + " failed: " + e.getMessage(), e);
        } finally {
            ready.close();
            pipes.close();
        }
    }

    /** The exec's process.json: the container's own process settings with the exec's overrides. */
    private static Map<String, Object> processSpec(RuntimeContainer c, ExecRequest req) throws IOException {
        JsonObject config = Json.parseObject(Files.readAllBytes(c.bundleDir().resolve("config.json")));
        JsonObject proc = config.obj("process");
        Map<String, Object> p = proc == null ? new LinkedHashMap<>() : new LinkedHashMap<>(proc.asMap());
        p.put("args", req.command());
        p.put("terminal", req.terminal());
        List<String> env = new ArrayList<>(proc == null ? List.of() : proc.strings("env"));
        for (String e : req.env()) {
            String key = e.contains("=") ? e.substring(0, e.indexOf('=') + 1) : e + "=";
            env.removeIf(x -> x.startsWith(key));
            env.add(e);
        }
        p.put("env", env);
        if (req.workingDir() != null && !req.workingDir().isEmpty()) {
            p.put("cwd", req.workingDir());
        }
        if (req.user() != null && !req.user().isEmpty()) {
            String[] ug = req.user().split(":");
            Map<String, Object> user = new LinkedHashMap<>();
            user.put("uid", Long.parseLong(ug[0]));
            user.put("gid", ug.length > 1 ? Long.parseLong(ug[1]) : 0L);
            p.put("user", user);
        }
        p.remove("consoleSize");
        return p;
    }
}
