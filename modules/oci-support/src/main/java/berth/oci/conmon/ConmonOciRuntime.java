package berth.oci.conmon;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.json.Json;
import berth.kernel.json.JsonObject;
import berth.kernel.spi.runtime.AttachResult;
import berth.kernel.spi.runtime.AttachStreams;
import berth.kernel.spi.runtime.Created;
import berth.kernel.spi.runtime.ExecRequest;
import berth.kernel.spi.runtime.ExecResult;
import berth.kernel.spi.runtime.ExitReport;
import berth.kernel.spi.runtime.ExitStatus;
import berth.kernel.spi.runtime.OciRuntime;
import berth.kernel.spi.runtime.RuntimeContainer;
import berth.kernel.spi.runtime.RuntimeEnvironment;
import berth.kernel.spi.runtime.RuntimeFeature;
import berth.oci.natives.Posix;
import berth.kernel.trace.Trace;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An OCI runtime with a command-line interface (runc, crun, runsc) driven through conmon, as libpod's
 * ConmonOCIRuntime (seed 003): conmon is spawned with its sync and start pipes as fds 3 and 4, reports
 * the container PID on the sync pipe, keeps the attach socket and ctl FIFO in the bundle, writes the
 * k8s-file log and, when the container exits, the exit and OOM files in its persist directory and
 * runs the exit command. Holds no container state of its own.
 */
public final class ConmonOciRuntime implements OciRuntime {
    private final RuntimeFlavor flavor;
    private final Path binary;
    private final Path conmon;
    private final RuntimeEnvironment env;
    private final OciCli cli;
    private volatile String version;
    private final String conmonVersion;

    private ConmonOciRuntime(RuntimeFlavor flavor, Path binary, Path conmon, String conmonVersion, RuntimeEnvironment env) {
        this.flavor = flavor;
        this.binary = binary;
        this.conmon = conmon;
        this.conmonVersion = conmonVersion;
        this.env = env;
        this.cli = new OciCli(binary, globalArgs());
    }

    /**
     * Finds the runtime binary (configured paths, else the provider's defaults) and conmon. Fails with
     * RUNTIME_MISSING naming every path tried.
     */
    public static ConmonOciRuntime create(RuntimeFlavor flavor, List<String> defaultPaths, RuntimeEnvironment env) {
        List<String> candidates = env.binaryPaths().isEmpty() ? defaultPaths : env.binaryPaths();
        Path bin = firstExecutable(candidates).orElseThrow(() -> new BerthException(ErrorCode.RUNTIME_MISSING,
                "OCI runtime " + flavor.name() + " not found: tried " + String.join(", ", candidates)
                        + " (install the " + flavor.name() + " package or set [engine.runtimes] " + flavor.name() + ")"));
        List<String> conmons = env.option("conmon_path").isEmpty()
                ? List.of("/usr/bin/conmon", "/usr/libexec/podman/conmon", "/usr/local/bin/conmon") : env.option("conmon_path");
        Path cache = env.runtimeRoot().resolveSibling("conmon-probe");
        ConmonProbe.Found conmon = ConmonProbe.find(conmons, cache, env.warnings());
        return new ConmonOciRuntime(flavor, bin, conmon.path(), conmon.version(), env);
    }

    private static Optional<Path> firstExecutable(List<String> paths) {
        for (String p : paths) {
            Path path = Path.of(p);
            if (Files.isRegularFile(path) && Files.isExecutable(path)) {
                return Optional.of(path);
            }
        }
        return Optional.empty();
    }

    private List<String> globalArgs() {
        List<String> g = new ArrayList<>();
        if (flavor.supportsRoot() && env.runtimeRoot() != null) {
            g.add("--root");
            g.add(env.runtimeRoot().toString());
        }
        g.addAll(flavor.globalArgs());
        return g;
    }

    @Override
    public String name() {
        return flavor.name();
    }

    @Override
    public Path binary() {
        return binary;
    }

    @Override
    public String version() {
        if (version == null) {
            version = versionLine(binary);
        }
        return version;
    }

    @Override
    public Map<String, String> components() {
        return Map.of("conmon", conmonVersion);
    }

    /** The first line a binary prints for --version. */
    private static String versionLine(Path bin) {
        return new OciCli(bin, List.of()).run("--version").stdout().lines().findFirst().orElse("unknown").strip();
    }

    /** Loads JNA and libc and runs the spawn path's calls once, overlapping the engine's own work. */
    @Override
    public void prepare() {
        Posix.warmUp();
    }

    @Override
    public Set<RuntimeFeature> features() {
        return flavor.features();
    }

    /** Where conmon writes the exit and OOM files of one container (podman's TMPDIR/persist/ID). */
    private Path persistDir(RuntimeContainer c) {
        return env.engineTmpDir().resolve("persist").resolve(c.id());
    }

    /** Where conmon writes its exit-dir file, one per container (podman's TMPDIR/exits). */
    private Path exitsDir() {
        return env.engineTmpDir().resolve("exits");
    }

    private Path ociLog(RuntimeContainer c) {
        return c.runDir().resolve("oci-log");
    }

    @Override
    public Created create(RuntimeContainer c) {
        try {
            Files.createDirectories(c.runDir());
            Files.createDirectories(persistDir(c));
            Files.createDirectories(exitsDir());
            clearExitStatus(c);
            Files.deleteIfExists(ociLog(c));
            Files.deleteIfExists(c.runDir().resolve("pidfile"));
        } catch (IOException e) {
            throw new BerthException(ErrorCode.INTERNAL, "cannot prepare run directory of container " + c.id() + ": " + e.getMessage(), e);
        }
        List<String> args = sharedArgs(c, c.id(), c.bundleDir(), c.runDir().resolve("pidfile"), exitsDir(), c.logDriver(), c.logPath());
        args.add("--persist-dir");
        args.add(persistDir(c).toString());
        if (c.terminal()) {
            args.add("-t");
        } else if (c.stdin()) {
            args.add("-i");
        }
        args.add("--conmon-pidfile");
        args.add(c.runDir().resolve("conmon.pid").toString());
        if (!c.cleanupCommand().isEmpty()) {
            args.add("--exit-command");
            args.add(c.cleanupCommand().get(0));
            for (String a : c.cleanupCommand().subList(1, c.cleanupCommand().size())) {
                args.add("--exit-command-arg");
                args.add(a);
            }
        }
        SyncReply reply = spawnConmon(c, args, c.bundleDir(), null);
        if (reply.data < 0) {
            // conmon leaves a half-created container behind; remove it so a retry starts clean
            cli.run("delete", "--force", c.id());
            throw runtimeError(c, reply.message);
        }
        int conmonPid = 0;
        try {
            conmonPid = Integer.parseInt(Files.readString(c.runDir().resolve("conmon.pid")).strip());
        } catch (IOException | NumberFormatException e) {
            // conmon not writing its pidfile is a valid state (seed 003); we simply cannot watch it
        }
        return new Created(reply.data, conmonPid);
    }

    private List<String> sharedArgs(RuntimeContainer c, String cuuid, Path bundle, Path pidFile, Path exitDir, String logDriver, Path logPath) {
        List<String> args = new ArrayList<>(48);
        args.add(conmon.toString());
        args.add("--api-version");
        args.add("1");
        args.add("-c");
        args.add(c.id());
        args.add("-u");
        args.add(cuuid);
        args.add("-r");
        args.add(binary.toString());
        args.add("-b");
        args.add(bundle.toString());
        args.add("-p");
        args.add(pidFile.toString());
        args.add("-n");
        args.add(c.name());
        args.add("--exit-dir");
        args.add(exitDir.toString());
        args.add("--full-attach");
        args.add("--socket-dir-path");
        args.add(env.engineTmpDir().resolve("socket").toString());
        args.add("-l");
        if ("none".equals(logDriver) || logPath == null) {
            args.add("none");
        } else {
            args.add("k8s-file:" + logPath);
        }
        args.add("--log-level");
        args.add(env.logLevel() == null ? "error" : env.logLevel());
        if (flavor.supportsJsonLog()) {
            args.add("--runtime-arg");
            args.add("--log-format=json");
            args.add("--runtime-arg");
            args.add("--log");
            args.add("--runtime-arg=" + ociLog(c));
        }
        for (String g : globalArgs()) {
            args.add("--runtime-arg");
            args.add(g);
        }
        return args;
    }

    private record SyncReply(int data, String message) {
    }

    /** Spawns conmon with sync (3), start (4) and optionally attach (5) pipes and reads its first reply. */
    private SyncReply spawnConmon(RuntimeContainer c, List<String> argv, Path workDir, ExecPipes exec) {
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
        Map<String, String> envp = new LinkedHashMap<>();
        envp.put("PATH", System.getenv().getOrDefault("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"));
        envp.put("HOME", System.getenv().getOrDefault("HOME", "/root"));
        String xdg = System.getenv("XDG_RUNTIME_DIR");
        if (xdg != null) {
            envp.put("XDG_RUNTIME_DIR", xdg);
        }
        envp.put("_OCI_SYNCPIPE", "3");
        envp.put("_OCI_STARTPIPE", "4");
        Map<Integer, Integer> fds = new LinkedHashMap<>();
        fds.put(2, 2);
        fds.put(3, sync[1]);
        fds.put(4, start[1]);
        if (attach != null) {
            envp.put("_OCI_ATTACHPIPE", "5");
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

    private SyncReply readReply(int fd, RuntimeContainer c, String pipe) throws IOException {
        byte[] buf = new byte[8192];
        int n = Posix.read(fd, buf);
        if (n <= 0) {
            String log = readOciLog(c);
            throw new BerthException(ErrorCode.RUNTIME_ERROR, "conmon closed the " + pipe + " pipe of container " + c.id()
                    + " without reporting" + (log.isEmpty() ? "" : ": " + log));
        }
        JsonObject o = Json.parseObject(new String(buf, 0, n, StandardCharsets.UTF_8).strip());
        return new SyncReply(o.integer("data", -1), o.str("message"));
    }

    private String readOciLog(RuntimeContainer c) {
        try {
            String last = "";
            for (String line : Files.readAllLines(ociLog(c))) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    JsonObject o = Json.parseObject(line);
                    if ("error".equals(o.str("level")) || "fatal".equals(o.str("level"))) {
                        last = o.str("msg", line);
                    }
                } catch (IOException e) {
                    last = line;
                }
            }
            return last;
        } catch (IOException e) {
            return "";
        }
    }

    /** Maps the runtime's words to podman's exit codes: 127 not found, 126 cannot invoke (seed 003). */
    private BerthException runtimeError(RuntimeContainer c, String conmonMessage) {
        String msg = readOciLog(c);
        if (msg.isEmpty()) {
            msg = conmonMessage == null ? "container create failed" : OciCli.clean(conmonMessage);
        }
        String lower = msg.toLowerCase(java.util.Locale.ROOT);
        ErrorCode code = ErrorCode.RUNTIME_ERROR;
        if (lower.contains("executable file not found") || lower.contains("no such file or directory")
                || lower.contains("not found in $path")) {
            code = ErrorCode.COMMAND_NOT_FOUND;
        } else if (lower.contains("permission denied") || lower.contains("exec format error") || lower.contains("is a directory")) {
            code = ErrorCode.PERMISSION_DENIED;
        }
        return new BerthException(code, "container " + c.name() + " (" + shortId(c.id()) + "): " + msg);
    }

    private static String shortId(String id) {
        return id.length() > 12 ? id.substring(0, 12) : id;
    }

    @Override
    public void start(RuntimeContainer c) {
        cli.check("starting", c.id(), "start", c.id());
    }

    @Override
    public void kill(RuntimeContainer c, int signal, boolean all) {
        OciCli.Result r = all ? cli.run("kill", "--all", c.id(), Integer.toString(signal))
                : cli.run("kill", c.id(), Integer.toString(signal));
        if (r.exitCode() != 0) {
            if (c.pid() > 0 && !Posix.alive(c.pid())) {
                return; // it died between our check and the signal
            }
            throw new BerthException(ErrorCode.RUNTIME_ERROR, "error sending signal " + signal + " to container "
                    + c.name() + " (" + shortId(c.id()) + "): " + OciCli.clean(r.stderr()));
        }
    }

    @Override
    public void stop(RuntimeContainer c, int timeoutSeconds, boolean all) {
        if (c.pid() > 0 && !Posix.alive(c.pid())) {
            return;
        }
        if (timeoutSeconds > 0) {
            kill(c, c.stopSignal() == 0 ? 15 : c.stopSignal(), all);
            if (waitPidGone(c.pid(), timeoutSeconds * 1000L)) {
                return;
            }
        }
        kill(c, 9, all);
        if (!waitPidGone(c.pid(), 5000)) {
            throw new BerthException(ErrorCode.TIMEOUT, "container " + c.name() + " (" + shortId(c.id())
                    + ") did not die within 5 s of SIGKILL");
        }
    }

    /** Polls for the process to be gone; a short interval keeps `stop` quick for fast exits. */
    private static boolean waitPidGone(int pid, long millis) {
        if (pid <= 0) {
            return true;
        }
        long deadline = System.nanoTime() + millis * 1_000_000L;
        long sleep = 2;
        while (System.nanoTime() < deadline) {
            if (!Posix.alive(pid)) {
                return true;
            }
            try {
                Thread.sleep(sleep);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            sleep = Math.min(sleep * 2, 50);
        }
        return !Posix.alive(pid);
    }

    @Override
    public void delete(RuntimeContainer c) {
        OciCli.Result r = cli.run("delete", "--force", c.id());
        if (r.exitCode() != 0) {
            String err = r.stderr().toLowerCase(java.util.Locale.ROOT);
            if (err.contains("does not exist") || err.contains("not found") || err.contains("no such")) {
                return; // already gone: deletion is idempotent
            }
            throw new BerthException(ErrorCode.RUNTIME_ERROR, "removing container " + c.name() + " (" + shortId(c.id())
                    + ") from " + flavor.name() + " failed: " + OciCli.clean(r.stderr()));
        }
    }

    @Override
    public void pause(RuntimeContainer c) {
        cli.check("pausing", c.id(), "pause", c.id());
    }

    @Override
    public void resume(RuntimeContainer c) {
        cli.check("unpausing", c.id(), "resume", c.id());
    }

    @Override
    public AttachResult attach(RuntimeContainer c, AttachStreams streams, Runnable onAttached) {
        int fd;
        try {
            fd = Posix.connectSeqpacket(c.bundleDir().toString(), "attach");
        } catch (IOException e) {
            throw new BerthException(ErrorCode.CONTAINER_STATE_INVALID, "cannot attach to container " + c.name()
                    + " (" + shortId(c.id()) + "): " + e.getMessage(), e);
        }
        if (onAttached != null) {
            onAttached.run();
        }
        return AttachPump.pump(fd, streams, c.stdin() || c.terminal());
    }

    /** The fds of a running exec's conmon, filled in by spawnConmon. */
    private static final class ExecPipes {
        final boolean attach;
        int syncFd = -1;
        int startFd = -1;
        int attachFd = -1;

        ExecPipes(boolean attach) {
            this.attach = attach;
        }
    }

    @Override
    public ExecResult exec(RuntimeContainer c, ExecRequest req, AttachStreams streams) {
        Path execDir = c.runDir().resolve("exec").resolve(req.sessionId());
        Path exitDir = execDir.resolve("exit");
        try {
            Files.createDirectories(exitDir);
            Files.writeString(execDir.resolve("process.json"), Json.write(processSpec(c, req)));
        } catch (IOException e) {
            throw new BerthException(ErrorCode.INTERNAL, "cannot prepare exec session in container " + c.id() + ": " + e.getMessage(), e);
        }
        List<String> args = sharedArgs(c, req.sessionId(), execDir, execDir.resolve("exec_pid"), exitDir, "none", null);
        args.add("-e");
        args.add("--exec-process-spec");
        args.add(execDir.resolve("process.json").toString());
        if (req.terminal()) {
            args.add("-t");
        } else if (req.interactive()) {
            args.add("-i");
        }
        boolean attached = !req.detach();
        if (attached) {
            args.add("--exec-attach");
        }
        ExecPipes pipes = new ExecPipes(attached);
        try {
            spawnConmon(c, args, execDir, pipes);
            int sockFd = -1;
            if (attached) {
                try {
                    sockFd = Posix.connectSeqpacket(execDir.toString(), "attach");
                } catch (IOException e) {
                    throw new BerthException(ErrorCode.RUNTIME_ERROR, "cannot attach to exec session in container " + c.name() + ": " + e.getMessage(), e);
                }
                Posix.writeFully(pipes.startFd, new byte[] {0}, 1);
                Posix.close(pipes.startFd);
                pipes.startFd = -1;
            }
            SyncReply pidReply = readReply(pipes.syncFd, c, "sync");
            if (pidReply.data < 0) {
                Posix.close(sockFd);
                throw runtimeError(c, pidReply.message);
            }
            if (!attached) {
                return new ExecResult(req.sessionId(), pidReply.data, -1);
            }
            AttachPump.pump(sockFd, streams, req.interactive() || req.terminal());
            SyncReply exit = readReply(pipes.syncFd, c, "sync");
            return new ExecResult(req.sessionId(), pidReply.data, exit.data);
        } catch (IOException e) {
            throw new BerthException(ErrorCode.RUNTIME_ERROR, "exec in container " + c.name() + " failed: " + e.getMessage(), e);
        } finally {
            Posix.close(pipes.syncFd);
            Posix.close(pipes.startFd);
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

    @Override
    public void resizeTerminal(RuntimeContainer c, int height, int width) {
        writeCtl(c, "1 " + height + " " + width + "\n");
    }

    @Override
    public void reopenLog(RuntimeContainer c) {
        writeCtl(c, "2 0 0\n");
    }

    private static void writeCtl(RuntimeContainer c, String line) {
        Path ctl = c.bundleDir().resolve("ctl");
        try {
            Files.write(ctl, line.getBytes(StandardCharsets.US_ASCII), StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new BerthException(ErrorCode.CONTAINER_STATE_INVALID, "cannot write to control FIFO of container " + c.id() + ": " + e.getMessage(), e);
        }
    }

    /**
     * conmon writes the exit file (and the OOM file) when the container exits, then runs the cleanup
     * command and exits itself; a conmon gone without the file (killed, or the host rebooted) has lost
     * the exit. The file is read again after conmon is found gone: conmon writes it just before exiting.
     */
    @Override
    public ExitReport exitReport(RuntimeContainer c) {
        Optional<ExitStatus> e = exitStatus(c);
        if (e.isPresent()) {
            return new ExitReport.Exited(e.get());
        }
        if (c.monitorPid() > 0 && !Posix.alive(c.monitorPid())) {
            e = exitStatus(c);
            return e.isPresent() ? new ExitReport.Exited(e.get()) : ExitReport.LOST;
        }
        return ExitReport.RUNNING;
    }

    private Optional<ExitStatus> exitStatus(RuntimeContainer c) {
        Path exit = persistDir(c).resolve("exit");
        try {
            String s = Files.readString(exit).strip();
            Instant finished = Files.getLastModifiedTime(exit).toInstant();
            boolean oom = Files.exists(persistDir(c).resolve("oom")) || Files.exists(c.bundleDir().resolve("oom"));
            return Optional.of(new ExitStatus(Integer.parseInt(s), oom, finished));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | NumberFormatException e) {
            // a half-written file: conmon writes it with g_file_set_contents (atomic), so this is corruption
            throw new BerthException(ErrorCode.RUNTIME_ERROR, "unreadable exit file " + exit + " of container " + c.id() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void clearExitStatus(RuntimeContainer c) {
        try {
            Files.deleteIfExists(persistDir(c).resolve("exit"));
            Files.deleteIfExists(persistDir(c).resolve("oom"));
            Files.deleteIfExists(c.bundleDir().resolve("oom"));
            Files.deleteIfExists(exitsDir().resolve(c.id()));
        } catch (IOException e) {
            throw new BerthException(ErrorCode.INTERNAL, "cannot remove exit files of container " + c.id() + ": " + e.getMessage(), e);
        }
    }

    /** conmon's files outside the run directory: the persist directory and the exit-dir file. */
    @Override
    public void release(RuntimeContainer c) {
        try {
            Path persist = persistDir(c);
            if (Files.isDirectory(persist)) {
                try (var entries = Files.newDirectoryStream(persist)) {
                    for (Path p : entries) {
                        Files.deleteIfExists(p);
                    }
                }
            }
            Files.deleteIfExists(persist);
            Files.deleteIfExists(exitsDir().resolve(c.id()));
        } catch (IOException e) {
            env.warnings().accept("cannot remove conmon's files of container " + c.id() + ": " + e.getMessage());
        }
    }

    @Override
    public Optional<String> runtimeState(RuntimeContainer c) {
        OciCli.Result r = cli.run("state", c.id());
        if (r.exitCode() != 0) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(Json.parseObject(r.stdout()).str("status"));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
