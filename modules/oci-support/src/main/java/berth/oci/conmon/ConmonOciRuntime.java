package berth.oci.conmon;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.json.Json;
import berth.kernel.model.AttachResult;
import berth.kernel.model.AttachStreams;
import berth.kernel.spi.runtime.Created;
import berth.kernel.spi.runtime.ExecReport;
import berth.kernel.spi.runtime.ExecRequest;
import berth.kernel.spi.runtime.ExecResult;
import berth.kernel.spi.runtime.ExitReport;
import berth.kernel.spi.runtime.OciRuntime;
import berth.kernel.spi.runtime.RuntimeContainer;
import berth.kernel.spi.runtime.RuntimeEnvironment;
import berth.kernel.spi.runtime.RuntimeFeature;
import berth.oci.natives.Posix;
import berth.support.Names;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An OCI runtime with a command-line interface (runc, crun, runsc) driven through conmon, as libpod's
 * ConmonOCIRuntime (seed 003): conmon is spawned with its sync and start pipes ({@link ConmonLauncher},
 * arguments from {@link ConmonCommand}), reports the container PID on the sync pipe, keeps the attach
 * socket and ctl FIFO in the bundle, writes the k8s-file log and, when the container exits, the exit
 * and OOM files ({@link ExitFiles}) and runs the exit command. The runtime's own subcommands (start,
 * kill, delete, pause, state) go through {@link OciCli}; exec through {@link ConmonExec}. Holds no
 * container state of its own.
 */
public final class ConmonOciRuntime implements OciRuntime {
    private final RuntimeFlavor flavor;
    private final Path binary;
    private final String conmonVersion;
    private final OciCli cli;
    private final ConmonCommand command;
    private final ConmonLauncher launcher;
    private final ExitFiles exitFiles;
    private final ConmonExec exec;
    private volatile String version;
    private final java.util.function.Consumer<String> warnings;
    private final SeccompBpfCache seccompPrograms;

    private ConmonOciRuntime(RuntimeFlavor flavor, Path binary, Path conmon, String conmonVersion, RuntimeEnvironment env) {
        this.flavor = flavor;
        this.binary = binary;
        this.conmonVersion = conmonVersion;
        List<String> globalArgs = globalArgs(flavor, env);
        ConmonPaths paths = new ConmonPaths(env.engineTmpDir());
        this.cli = new OciCli(binary, globalArgs);
        this.command = new ConmonCommand(conmon, binary, flavor, globalArgs, paths, env.logLevel());
        this.launcher = new ConmonLauncher(conmon);
        this.exitFiles = new ExitFiles(paths, env.warnings());
        this.exec = new ConmonExec(command, launcher);
        this.warnings = env.warnings();
        this.seccompPrograms = flavor.takesCompiledSeccomp() && env.runtimeRoot() != null && SeccompBpfCache.enabled()
                ? new SeccompBpfCache(env.runtimeRoot().resolveSibling("seccomp-bpf")) : null;
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

    /** Arguments before every runtime subcommand: its state root, then the flavor's own. */
    private static List<String> globalArgs(RuntimeFlavor flavor, RuntimeEnvironment env) {
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
            version = new OciCli(binary, List.of()).run("--version").stdout().lines().findFirst().orElse("unknown").strip();
        }
        return version;
    }

    @Override
    public Map<String, String> components() {
        return Map.of("conmon", conmonVersion);
    }

    /**
     * Loads JNA and libc and runs the spawn path's calls once, overlapping the engine's own work, and
     * readies the kernel's cgroup migration lock for the create that follows ({@link CgroupLockPrimer}).
     */
    @Override
    public void prepare() {
        CgroupLockPrimer.soon();
        Posix.warmUp();
    }

    @Override
    public Map<String, String> seccompAnnotations(Path seccompSection) {
        return seccompPrograms == null ? Map.of() : seccompPrograms.annotationsFor(seccompSection);
    }

    @Override
    public Set<RuntimeFeature> features() {
        return flavor.features();
    }

    @Override
    public Created create(RuntimeContainer c) {
        try {
            Files.createDirectories(c.runDir());
            exitFiles.prepare(c);
            Files.deleteIfExists(ConmonPaths.ociLog(c));
            Files.deleteIfExists(ConmonPaths.pidFile(c));
        } catch (IOException e) {
            throw new BerthException(ErrorCode.INTERNAL, "cannot prepare run directory of container " + c.id() + ": " + e.getMessage(), e);
        }
        ConmonLauncher.SyncReply reply;
        try (CgroupLockPrimer.Hold ready = CgroupLockPrimer.hold()) {
            reply = launcher.create(c, command.create(c), c.bundleDir());
        }
        if (reply.data() < 0) {
            // conmon leaves a half-created container behind; remove it so a retry starts clean
            cli.run("delete", "--force", c.id());
            throw RuntimeFailures.of(c, reply.message());
        }
        int conmonPid = 0;
        try {
            conmonPid = Integer.parseInt(Files.readString(ConmonPaths.conmonPidFile(c)).strip());
        } catch (IOException | NumberFormatException e) {
            // conmon not writing its pidfile is a valid state (seed 003); we simply cannot watch it
        }
        return new Created(reply.data(), conmonPid);
    }

    @Override
    public void start(RuntimeContainer c) {
        cli.check("starting", c.id(), "start", c.id());
    }

    /** {@code --all} only when asked: the engine asks only when the flavor declares KILL_ALL. */
    @Override
    public void kill(RuntimeContainer c, int signal, boolean all) {
        OciCli.Result r = all ? cli.run("kill", "--all", c.id(), Integer.toString(signal))
                : cli.run("kill", c.id(), Integer.toString(signal));
        if (r.exitCode() != 0) {
            if (c.pid() > 0 && !Posix.alive(c.pid())) {
                return; // it died between our check and the signal
            }
            throw new BerthException(ErrorCode.RUNTIME_ERROR, "error sending signal " + signal + " to container "
                    + c.name() + " (" + Names.shortId(c.id()) + "): " + OciCli.clean(r.stderr()));
        }
    }

    @Override
    public void stop(RuntimeContainer c, int timeoutSeconds, boolean all) {
        if (c.pid() > 0 && !Posix.alive(c.pid())) {
            return;
        }
        if (timeoutSeconds > 0) {
            int signal = c.stopSignal() == 0 ? 15 : c.stopSignal();
            kill(c, signal, all);
            if (waitPidGone(c.pid(), timeoutSeconds * 1000L)) {
                return;
            }
            // podman's warning (libpod stopWithTimeout): the user learns why the stop took so long
            warnings.accept("StopSignal " + signalName(signal) + " failed to stop container " + c.name() + " in "
                    + timeoutSeconds + " seconds, resorting to SIGKILL");
        }
        kill(c, 9, all);
        if (!waitPidGone(c.pid(), 5000)) {
            throw new BerthException(ErrorCode.TIMEOUT, "container " + c.name() + " (" + Names.shortId(c.id())
                    + ") did not die within 5 s of SIGKILL");
        }
    }

    private static String signalName(int signal) {
        String[] names = {"", "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE", "SIGKILL", "SIGUSR1",
            "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT", "SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP", "SIGTTIN",
            "SIGTTOU", "SIGURG", "SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS"};
        return signal > 0 && signal < names.length ? names[signal] : "signal " + signal;
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

    /**
     * {@code delete --force}, then, when no exit was recorded (a container that never ran or whose
     * create was cut short), conmon is made sure to be gone: see {@link LeftoverMonitor}.
     */
    @Override
    public void delete(RuntimeContainer c) {
        boolean exitRecorded = exitFiles.report(c) instanceof berth.kernel.spi.runtime.ExitReport.Exited;
        forceDelete(c);
        if (!exitRecorded) {
            LeftoverMonitor.end(c, () -> forceDelete(c));
        }
    }

    private void forceDelete(RuntimeContainer c) {
        OciCli.Result r = cli.run("delete", "--force", c.id());
        if (r.exitCode() != 0) {
            String err = r.stderr().toLowerCase(Locale.ROOT);
            if (err.contains("does not exist") || err.contains("not found") || err.contains("no such")) {
                return; // already gone: deletion is idempotent
            }
            throw new BerthException(ErrorCode.RUNTIME_ERROR, "removing container " + c.name() + " (" + Names.shortId(c.id())
                    + ") from " + flavor.name() + " failed: " + OciCli.clean(r.stderr()));
        }
    }

    /** The IDs under this engine's runtime root ({@code list -q}), for the sweep of leftovers. */
    @Override
    public java.util.List<String> containerIds() {
        OciCli.Result r = cli.run("list", "-q");
        if (r.exitCode() != 0) {
            return java.util.List.of();
        }
        return r.stdout().lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
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
                    + " (" + Names.shortId(c.id()) + "): " + e.getMessage(), e);
        }
        if (onAttached != null) {
            onAttached.run();
        }
        return AttachPump.pump(fd, streams, c.stdin() || c.terminal());
    }

    @Override
    public ExecResult exec(RuntimeContainer c, ExecRequest req, AttachStreams streams) {
        return exec.run(c, req, streams);
    }

    @Override
    public ExecReport execReport(RuntimeContainer c, String sessionId) {
        return ExecFiles.report(c, sessionId);
    }

    @Override
    public void releaseExec(RuntimeContainer c, String sessionId) {
        ExecFiles.release(c, sessionId);
    }

    @Override
    public void resizeTerminal(RuntimeContainer c, int height, int width) {
        writeCtl(c, "1 " + height + " " + width + "\n");
    }

    /** The session's conmon keeps a control FIFO in the session's directory (its bundle), as the container's does. */
    @Override
    public void resizeExecTerminal(RuntimeContainer c, String sessionId, int height, int width) {
        Path ctl = ExecFiles.dir(c, sessionId).resolve("ctl");
        try {
            // WRITE without CREATE: a session that has no FIFO (yet, or any more) is an error, never a new file
            Files.write(ctl, ("1 " + height + " " + width + "\n").getBytes(StandardCharsets.US_ASCII), StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new BerthException(ErrorCode.NO_SUCH_EXEC_SESSION, "cannot resize exec session " + sessionId + " of container "
                    + c.id() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void reopenLog(RuntimeContainer c) {
        writeCtl(c, "2 0 0\n");
    }

    /** conmon's control FIFO in the bundle: one "type arg arg" line per request. */
    private static void writeCtl(RuntimeContainer c, String line) {
        Path ctl = c.bundleDir().resolve("ctl");
        try {
            Files.write(ctl, line.getBytes(StandardCharsets.US_ASCII), StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new BerthException(ErrorCode.CONTAINER_STATE_INVALID, "cannot write to control FIFO of container " + c.id() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public ExitReport exitReport(RuntimeContainer c) {
        return exitFiles.report(c);
    }

    @Override
    public void clearExitStatus(RuntimeContainer c) {
        exitFiles.clear(c);
    }

    @Override
    public void release(RuntimeContainer c) {
        exitFiles.release(c);
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
