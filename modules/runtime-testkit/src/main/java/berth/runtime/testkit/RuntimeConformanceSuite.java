package berth.runtime.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import berth.kernel.error.BerthException;
import berth.kernel.plugin.PluginRegistry;
import berth.kernel.model.AttachResult;
import berth.kernel.model.AttachStreams;
import berth.kernel.spi.runtime.ExecRequest;
import berth.kernel.spi.runtime.ExecResult;
import berth.kernel.spi.runtime.ExitReport;
import berth.kernel.spi.runtime.ExitStatus;
import berth.kernel.spi.runtime.OciRuntime;
import berth.kernel.spi.runtime.OciRuntimeProvider;
import berth.kernel.spi.runtime.RuntimeContainer;
import berth.kernel.spi.runtime.RuntimeEnvironment;
import berth.kernel.spi.runtime.RuntimeFeature;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The conformance suite of the {@link OciRuntime} SPI. A runtime plugin's test class extends it and
 * names its provider id; the suite finds the provider through {@link PluginRegistry}, as berth does,
 * makes a {@link RuntimeEnvironment} in a temporary directory, a busybox root filesystem and one OCI
 * bundle per container, and drives the SPI directly, with no engine in between.
 *
 * <pre>
 * class CrunConformanceTest extends RuntimeConformanceSuite {
 *     protected String providerId() { return "crun"; }
 * }
 * </pre>
 *
 * Every case that needs a {@link RuntimeFeature} is skipped, by an assumption naming the feature,
 * when the runtime does not declare it; each declared feature has a case that proves it. Everything
 * else fails loudly: not root, no busybox, no runtime binary. The suite needs root, a static busybox
 * ({@link #busybox()}), and {@code ip} for {@link RuntimeFeature#JOIN_NETNS}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class RuntimeConformanceSuite {
    /** How long a container gets to do what a case asks before the case fails. */
    protected static final Duration PATIENCE = Duration.ofSeconds(15);
    private static final int STOP_TIMEOUT_SECONDS = 2;
    private static final String CGROUP_PARENT = "/berth-kit";

    /** Warnings the runtime reported through {@link RuntimeEnvironment#warnings()}. */
    protected final List<String> warnings = Collections.synchronizedList(new ArrayList<>());
    private final List<KitContainer> containers = new ArrayList<>();
    private final Deque<Runnable> afterContainers = new ArrayDeque<>();
    private final ExecutorService attachThreads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "kit-attach");
        t.setDaemon(true);
        return t;
    });
    private Path workDir;
    private Path rootfs;
    private OciRuntimeProvider provider;
    private OciRuntime runtime;

    /** The id the runtime's provider is registered under, e.g. {@code crun}. */
    protected abstract String providerId();

    /** Candidate paths of the runtime binary, as {@code [engine.runtimes]} would give them; empty for the provider's defaults. */
    protected List<String> binaryPaths() {
        return List.of();
    }

    /** The {@code [engine]} options the runtime gets (conmon_path, say). */
    protected Map<String, List<String>> options() {
        return Map.of();
    }

    /** A statically linked busybox, from which the suite makes its root filesystem. */
    protected Path busybox() {
        return Path.of("/bin/busybox");
    }

    /** The layer plugins are looked up in: the test's own layer when it runs as a named module, else the boot layer. */
    protected ModuleLayer pluginLayer() {
        ModuleLayer own = getClass().getModule().getLayer();
        return own != null ? own : ModuleLayer.boot();
    }

    // ---------------------------------------------------------------- fixtures

    @BeforeAll
    public final void setUpRuntime() throws Exception {
        HostRequirements.requireRoot();
        HostRequirements.requireExecutable(busybox(), "install busybox-static, or override busybox()");
        try {
            provider = PluginRegistry.of(pluginLayer(), warnings::add).select(OciRuntimeProvider.class, providerId());
        } catch (BerthException e) {
            fail("the plugin registry does not find runtime provider \"" + providerId() + "\" (declare it with"
                    + " provides berth.kernel.spi.runtime.OciRuntimeProvider in module-info.java, and in"
                    + " META-INF/services for the class path): " + e.getMessage(), e);
        }
        workDir = Files.createTempDirectory("berth-rtkit-");
        rootfs = BusyboxRootfs.create(busybox(), workDir.resolve("rootfs"));
        RuntimeEnvironment env = new RuntimeEnvironment(binaryPaths(), workDir.resolve("runtime-root"),
                workDir.resolve("tmp"), options(), "error", warnings::add);
        try {
            runtime = provider.create(env);
        } catch (BerthException e) {
            fail("runtime \"" + providerId() + "\" cannot run on this host: " + e.getMessage(), e);
        }
        runtime.prepare();
    }

    @AfterEach
    public final void removeContainers() {
        List<String> problems = new ArrayList<>();
        for (int i = containers.size() - 1; i >= 0; i--) {
            RuntimeContainer c = containers.get(i).runtimeContainer();
            if (c.pid() <= 0 && c.monitorPid() <= 0) {
                continue; // never created
            }
            try {
                runtime.delete(c);
                waitGone(c.monitorPid(), Duration.ofSeconds(5)); // the monitor may still write the exit file
                runtime.release(c);
            } catch (RuntimeException e) {
                problems.add(c.id() + ": " + e.getMessage());
            }
        }
        containers.clear();
        while (!afterContainers.isEmpty()) {
            afterContainers.pop().run();
        }
        if (!problems.isEmpty()) {
            fail("removing the test's containers failed: " + String.join("; ", problems));
        }
    }

    @AfterAll
    public final void removeWorkDir() throws IOException {
        attachThreads.shutdownNow();
        removeCgroupParents();
        if (workDir != null) {
            try (Stream<Path> all = Files.walk(workDir)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** The runtimes remove each container's cgroup; the common parent is ours (busy while another suite runs: left). */
    private static void removeCgroupParents() {
        try (Stream<Path> hierarchies = Files.list(Path.of("/sys/fs/cgroup"))) {
            for (Path h : hierarchies.toList()) {
                try {
                    Files.deleteIfExists(h.resolve(CGROUP_PARENT.substring(1)));
                } catch (IOException e) {
                    // not empty: another suite's containers are in it
                }
            }
        } catch (IOException e) {
            // no cgroup file system: nothing was made
        }
    }

    // ---------------------------------------------------------------- helpers for cases (also a vendor's own)

    protected final OciRuntime runtime() {
        return runtime;
    }

    protected final boolean declares(RuntimeFeature feature) {
        return runtime.features().contains(feature);
    }

    /** Skips the calling case unless the runtime declares {@code feature}. */
    protected final void assumeDeclared(RuntimeFeature feature) {
        assumeTrue(declares(feature), () -> "runtime " + providerId() + " does not declare " + feature);
    }

    /** {@code sh -c script} in a new network namespace when the runtime makes one, else in the host's. */
    protected final ContainerSpec shell(String script) {
        ContainerSpec.Network net = declares(RuntimeFeature.NEW_NETNS)
                ? new ContainerSpec.Network.Fresh() : new ContainerSpec.Network.Host();
        return ContainerSpec.shell(script, net);
    }

    /** Writes the bundle of a new container; the suite deletes and releases it after the case. */
    protected final KitContainer prepare(ContainerSpec spec) throws IOException {
        String id = "kit-" + HexFormat.of().formatHex(randomBytes(6));
        Path dir = Files.createDirectories(workDir.resolve("c").resolve(id));
        Path shared = Files.createDirectories(dir.resolve("shared"));
        Path bundle = dir.resolve("bundle");
        OciConfig.write(OciConfig.generate(spec, rootfs, shared, CGROUP_PARENT + "/" + id), bundle);
        RuntimeContainer rc = new RuntimeContainer(id, id, bundle, dir.resolve("run"), "k8s-file", dir.resolve("ctr.log"),
                spec.terminal(), spec.stdin(), spec.cleanupCommand(), 0, 0, spec.stopSignal());
        KitContainer c = new KitContainer(spec, dir, rc);
        containers.add(c);
        return c;
    }

    /** Prepares and creates a container (not started). */
    protected final KitContainer create(ContainerSpec spec) throws IOException {
        KitContainer c = prepare(spec);
        c.created(runtime.create(c.runtimeContainer()));
        return c;
    }

    /** Prepares, creates and starts a container. */
    protected final KitContainer run(ContainerSpec spec) throws IOException {
        KitContainer c = create(spec);
        runtime.start(c.runtimeContainer());
        return c;
    }

    /** Waits for the runtime to report the container's exit; Lost fails the case. */
    protected final ExitStatus awaitExit(KitContainer c) {
        ExitReport report = Await.until(PATIENCE, () -> {
            ExitReport r = runtime.exitReport(c.runtimeContainer());
            return r instanceof ExitReport.Running ? Optional.empty() : Optional.of(r);
        }, () -> "container " + c.id() + " never reported an exit; its log: " + c.log());
        if (report instanceof ExitReport.Exited exited) {
            return exited.status();
        }
        return fail("container " + c.id() + " exited but its exit was lost: " + report + "; its log: " + c.log());
    }

    /** Waits for a file in the container's shared directory to hold what {@code ready} accepts; returns its text. */
    protected final String awaitShared(KitContainer c, String file, Predicate<String> ready) {
        Path p = c.sharedDir().resolve(file);
        return Await.until(PATIENCE, () -> {
            String text = readOrNull(p);
            return text != null && ready.test(text) ? Optional.of(text) : Optional.empty();
        }, () -> OciConfig.SHARED + "/" + file + " of container " + c.id() + " holds " + quote(readOrNull(p))
                + "; exit report " + runtime.exitReport(c.runtimeContainer()) + "; log: " + c.log());
    }

    protected final String awaitShared(KitContainer c, String file) {
        return awaitShared(c, file, s -> !s.isEmpty());
    }

    /** Announces readiness, then idles in short sleeps so traps run promptly. */
    protected static String readyThenIdle(String setup) {
        return setup + "; echo ready > " + OciConfig.SHARED + "/ready; while :; do sleep 0.1; done";
    }

    // ---------------------------------------------------------------- the provider and the basic lifecycle

    @Test
    public void providerIsFoundThroughThePluginRegistryAndDescribesItself() {
        assertEquals(providerId(), provider.id());
        assertFalse(runtime.name().isBlank(), "name");
        assertFalse(runtime.version().isBlank(), "version");
        assertTrue(Files.isExecutable(runtime.binary()), "binary " + runtime.binary() + " is executable");
        assertNotNull(runtime.features(), "features");
        assertNotNull(runtime.components(), "components");
    }

    @Test
    public void createThenStartReportsTheExitCodeThroughExitReport() throws Exception {
        KitContainer c = create(shell("exit 3"));
        assertTrue(c.runtimeContainer().pid() > 0, "create reports the container's PID");
        assertInstanceOf(ExitReport.Running.class, runtime.exitReport(c.runtimeContainer()), "before start");
        runtime.start(c.runtimeContainer());
        ExitStatus s = awaitExit(c);
        assertEquals(3, s.exitCode(), "exit code of sh -c 'exit 3'");
        assertFalse(s.oomKilled(), "not OOM-killed");
        assertNotNull(s.finishedAt(), "finishedAt");
    }

    @Test
    public void stopEscalatesToSigkillAfterTheTimeoutWhenTermIsIgnored() throws Exception {
        KitContainer c = run(shell(readyThenIdle("trap '' TERM")));
        awaitShared(c, "ready");
        long t0 = System.nanoTime();
        runtime.stop(c.runtimeContainer(), STOP_TIMEOUT_SECONDS, declares(RuntimeFeature.KILL_ALL));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms >= STOP_TIMEOUT_SECONDS * 1000L - 100, "stop waited the timeout before SIGKILL, took " + ms + " ms");
        assertTrue(ms <= STOP_TIMEOUT_SECONDS * 1000L + 5000, "stop returned within the timeout + 5 s, took " + ms + " ms");
        assertEquals(137, awaitExit(c).exitCode(), "killed by SIGKILL");
    }

    @Test
    public void stopReturnsQuicklyWhenTheProcessHandlesTerm() throws Exception {
        KitContainer c = run(shell(readyThenIdle("trap 'exit 0' TERM")));
        awaitShared(c, "ready");
        long t0 = System.nanoTime();
        runtime.stop(c.runtimeContainer(), 10, declares(RuntimeFeature.KILL_ALL));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        // runsc's sandbox takes ~2 s to go; anything under half the timeout did not wait for it
        assertTrue(ms < 5000, "stop with a 10 s timeout returned as soon as the process exited, took " + ms + " ms");
        assertEquals(0, awaitExit(c).exitCode(), "the TERM trap's exit code");
    }

    @Test
    public void everyKillSignalReachesTheProcessAndKillEndsItWith137() throws Exception {
        Map<String, Integer> signals = Map.of("HUP", 1, "USR1", 10, "USR2", 12, "TERM", 15);
        String traps = "for s in HUP USR1 USR2 TERM; do trap \"echo $s >> " + OciConfig.SHARED + "/signals\" $s; done";
        KitContainer c = run(shell(readyThenIdle(traps)));
        awaitShared(c, "ready");
        for (String name : List.of("HUP", "USR1", "USR2", "TERM")) {
            runtime.kill(c.runtimeContainer(), signals.get(name), false);
            awaitShared(c, "signals", s -> s.lines().anyMatch(name::equals));
        }
        assertInstanceOf(ExitReport.Running.class, runtime.exitReport(c.runtimeContainer()), "trapped signals do not end it");
        runtime.kill(c.runtimeContainer(), 9, false);
        assertEquals(137, awaitExit(c).exitCode(), "SIGKILL");
    }

    // ---------------------------------------------------------------- attach

    @Test
    public void attachedStreamsGetTheOutputAndEofWhenTheContainerExits() throws Exception {
        KitContainer c = create(shell("echo hello-out; echo hello-err >&2; sleep 0.3; echo bye-out"));
        CapturedOutput out = new CapturedOutput();
        CapturedOutput err = new CapturedOutput();
        RuntimeContainer rc = c.runtimeContainer();
        Future<AttachResult> attached = attachThreads.submit(() -> runtime.attach(rc,
                new AttachStreams(null, out, err, AttachStreams.DEFAULT_DETACH_KEYS), () -> runtime.start(rc)));
        assertEquals(AttachResult.EOF, attached.get(PATIENCE.toSeconds(), TimeUnit.SECONDS), "attach ends with the output");
        assertEquals("hello-out\nbye-out\n", out.text(), "stdout");
        assertEquals("hello-err\n", err.text(), "stderr");
        assertEquals(0, awaitExit(c).exitCode());
    }

    @Test
    public void detachKeysOnStdinDetachAndLeaveTheContainerRunning() throws Exception {
        // conmon closes the container's stdin when its attach client goes (podman passes no
        // --leave-stdin-open), so cat ends at a detach; the sleep after it is what must run on
        KitContainer c = run(shell("cat; exec sleep 1000").withStdin(true));
        CapturedOutput out = new CapturedOutput();
        PipedOutputStream typed = new PipedOutputStream();
        PipedInputStream stdin = new PipedInputStream(typed);
        RuntimeContainer rc = c.runtimeContainer();
        Future<AttachResult> attached = attachThreads.submit(() -> runtime.attach(rc,
                new AttachStreams(stdin, out, new CapturedOutput(), AttachStreams.DEFAULT_DETACH_KEYS), null));
        typed.write("ping\n".getBytes(StandardCharsets.US_ASCII));
        typed.flush();
        Await.until(PATIENCE, () -> out.text().contains("ping") ? Optional.of(true) : Optional.empty(),
                () -> "what was typed on stdin never came back from cat; stdout so far: " + quote(out.text()));
        // typed one key at a time, as a terminal delivers them: as in podman, a detach key counts only
        // when it arrives alone (keys inside pasted or piped data are input)
        for (byte key : AttachStreams.DEFAULT_DETACH_KEYS) {
            Thread.sleep(300);
            typed.write(key);
            typed.flush();
        }
        assertEquals(AttachResult.DETACHED, attached.get(PATIENCE.toSeconds(), TimeUnit.SECONDS), "ctrl-p ctrl-q");
        assertInstanceOf(ExitReport.Running.class, runtime.exitReport(rc), "the container runs on after a detach");
    }

    // ---------------------------------------------------------------- delete, release, clearExitStatus, Lost

    @Test
    public void deletingTwiceIsHarmless() throws Exception {
        KitContainer c = run(shell("exit 0"));
        awaitExit(c);
        runtime.delete(c.runtimeContainer());
        runtime.delete(c.runtimeContainer());
        assertEquals(Optional.empty(), runtime.runtimeState(c.runtimeContainer()), "the runtime forgot the container");
    }

    @Test
    public void releasingTwiceIsHarmless() throws Exception {
        KitContainer c = run(shell("exit 0"));
        awaitExit(c);
        runtime.delete(c.runtimeContainer());
        waitGone(c.runtimeContainer().monitorPid(), PATIENCE);
        runtime.release(c.runtimeContainer());
        runtime.release(c.runtimeContainer());
    }

    @Test
    public void clearExitStatusMakesARecreatedContainerRunningAgain() throws Exception {
        KitContainer c = prepare(shell("exit $(cat " + OciConfig.SHARED + "/code)"));
        Files.writeString(c.sharedDir().resolve("code"), "3\n");
        c.created(runtime.create(c.runtimeContainer()));
        runtime.start(c.runtimeContainer());
        assertEquals(3, awaitExit(c).exitCode(), "first run");
        runtime.delete(c.runtimeContainer());
        waitGone(c.runtimeContainer().monitorPid(), PATIENCE);
        runtime.clearExitStatus(c.runtimeContainer());

        Files.writeString(c.sharedDir().resolve("code"), "5\n");
        c.created(runtime.create(c.runtimeContainer().withPids(0, 0)));
        assertInstanceOf(ExitReport.Running.class, runtime.exitReport(c.runtimeContainer()),
                "created again after clearExitStatus, the old exit is forgotten");
        runtime.start(c.runtimeContainer());
        assertEquals(5, awaitExit(c).exitCode(), "second run");
    }

    @Test
    public void killingTheMonitorAndTheContainerLosesTheExit() throws Exception {
        KitContainer c = run(shell(readyThenIdle("true")));
        awaitShared(c, "ready");
        RuntimeContainer rc = c.runtimeContainer();
        assumeTrue(rc.monitorPid() > 0, "the runtime reports no monitor process (monitorPid 0): there is nothing to kill");
        killHard(rc.monitorPid());
        waitGone(rc.monitorPid(), PATIENCE);
        killHard(rc.pid());
        waitGone(rc.pid(), PATIENCE);
        ExitReport r = Await.until(PATIENCE, () -> {
            ExitReport now = runtime.exitReport(rc);
            return now instanceof ExitReport.Running ? Optional.empty() : Optional.of(now);
        }, () -> "the exit report stays Running with monitor and container dead");
        assertInstanceOf(ExitReport.Lost.class, r, "nothing was left to record the exit");
    }

    // ---------------------------------------------------------------- one proof per declared feature

    @Test
    public void pauseFreezesTheContainerAndResumeThawsIt() throws Exception {
        assumeDeclared(RuntimeFeature.PAUSE);
        String ticks = "i=0; while :; do i=$((i+1)); echo $i > " + OciConfig.SHARED + "/tick; sleep 0.05; done";
        KitContainer c = run(shell(ticks));
        awaitShared(c, "tick");
        RuntimeContainer rc = c.runtimeContainer();
        runtime.pause(rc);
        assertEquals(Optional.of("paused"), runtime.runtimeState(rc), "state after pause");
        String frozen = readOrNull(c.sharedDir().resolve("tick"));
        Thread.sleep(400);
        assertEquals(frozen, readOrNull(c.sharedDir().resolve("tick")), "no tick while paused");
        runtime.resume(rc);
        assertEquals(Optional.of("running"), runtime.runtimeState(rc), "state after resume");
        awaitShared(c, "tick", s -> !s.equals(frozen));
    }

    @Test
    public void killAllReachesEveryProcessOfTheContainer() throws Exception {
        assumeDeclared(RuntimeFeature.KILL_ALL);
        String shared = OciConfig.SHARED;
        String script = "(trap 'echo second >> " + shared + "/usr1' USR1; echo up > " + shared + "/second;"
                + " while :; do sleep 0.1; done) & " + readyThenIdle("trap 'echo init >> " + shared + "/usr1' USR1");
        KitContainer c = run(shell(script));
        awaitShared(c, "ready");
        awaitShared(c, "second");
        runtime.kill(c.runtimeContainer(), 10, true);
        awaitShared(c, "usr1", s -> s.lines().anyMatch("second"::equals) && s.lines().anyMatch("init"::equals));
    }

    @Test
    public void execReportsTheExitCodeOfItsProcess() throws Exception {
        assumeDeclared(RuntimeFeature.EXEC);
        KitContainer c = run(shell(readyThenIdle("true")));
        awaitShared(c, "ready");
        ExecResult r = runtime.exec(c.runtimeContainer(), exec("sh", "-c", "exit 7"),
                new AttachStreams(null, new CapturedOutput(), new CapturedOutput(), AttachStreams.DEFAULT_DETACH_KEYS));
        assertEquals(7, r.exitCode(), "exit code of exec sh -c 'exit 7'");
        assertTrue(r.pid() > 0, "exec reports its PID");
    }

    @Test
    public void execOutputReachesTheStreams() throws Exception {
        assumeDeclared(RuntimeFeature.EXEC);
        KitContainer c = run(shell(readyThenIdle("true")));
        awaitShared(c, "ready");
        CapturedOutput out = new CapturedOutput();
        CapturedOutput err = new CapturedOutput();
        ExecResult r = runtime.exec(c.runtimeContainer(), exec("sh", "-c", "echo exec-out; echo exec-err >&2"),
                new AttachStreams(null, out, err, AttachStreams.DEFAULT_DETACH_KEYS));
        assertEquals(0, r.exitCode());
        assertEquals("exec-out\n", out.text(), "stdout");
        assertEquals("exec-err\n", err.text(), "stderr");
    }

    @Test
    public void detachedExecReturnsItsPidWithoutWaitingForTheExit() throws Exception {
        assumeDeclared(RuntimeFeature.EXEC);
        KitContainer c = run(shell(readyThenIdle("true")));
        awaitShared(c, "ready");
        ExecRequest sleeper = new ExecRequest(HexFormat.of().formatHex(randomBytes(6)),
                List.of("sh", "-c", "echo started > " + OciConfig.SHARED + "/exec; sleep 30"), ContainerSpec.DEFAULT_ENV, "/", "",
                false, false, true);
        long t0 = System.nanoTime();
        ExecResult r = runtime.exec(c.runtimeContainer(), sleeper, new AttachStreams(null, null, null, new byte[0]));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms < 10_000, "a detached exec of a 30 s sleep returned after " + ms + " ms");
        assertTrue(r.pid() > 0, "exec reports its PID");
        assertEquals(-1, r.exitCode(), "no exit code while detached");
        awaitShared(c, "exec");
    }

    @Test
    public void joinNetnsPutsTheContainerInTheNamespaceGivenByPath() throws Exception {
        assumeDeclared(RuntimeFeature.JOIN_NETNS);
        HostRequirements.requireOnPath("ip", "install iproute2: the JOIN_NETNS case makes a namespace with ip netns add");
        String name = "berth-kit-" + HexFormat.of().formatHex(randomBytes(4));
        host("ip", "netns", "add", name);
        afterContainers.push(() -> host("ip", "netns", "delete", name));
        Path ns = Path.of("/run/netns", name);
        long inode = (Long) Files.getAttribute(ns, "unix:ino");
        KitContainer c = run(shell("readlink /proc/self/ns/net > " + OciConfig.SHARED + "/netns")
                .withNetwork(new ContainerSpec.Network.Join(ns)));
        assertEquals(0, awaitExit(c).exitCode(), c.log());
        assertEquals("net:[" + inode + "]", awaitShared(c, "netns").strip(), "the container's network namespace");
    }

    @Test
    public void newNetnsGivesTheContainerANamespaceOfItsOwn() throws Exception {
        assumeDeclared(RuntimeFeature.NEW_NETNS);
        String hostNs = Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString();
        KitContainer c = run(shell("readlink /proc/self/ns/net > " + OciConfig.SHARED + "/netns")
                .withNetwork(new ContainerSpec.Network.Fresh()));
        assertEquals(0, awaitExit(c).exitCode(), c.log());
        String inside = awaitShared(c, "netns").strip();
        assertTrue(inside.startsWith("net:"), "readlink /proc/self/ns/net inside: " + inside);
        assertNotEquals(hostNs, inside, "the container's network namespace is not the host's");
    }

    @Test
    public void cleanupCommandRunsAfterTheExitIsRecorded() throws Exception {
        assumeDeclared(RuntimeFeature.CLEANUP_COMMAND);
        Path marker = workDir.resolve("cleanup-ran-" + HexFormat.of().formatHex(randomBytes(4)));
        KitContainer withCleanup = run(shell("exit 4").withCleanupCommand(
                List.of("/bin/sh", "-c", "echo done > " + marker)));
        Await.until(PATIENCE, () -> Optional.ofNullable(readOrNull(marker)).filter(s -> s.strip().equals("done")),
                () -> "the cleanup command never ran; log: " + withCleanup.log());
        ExitReport r = runtime.exitReport(withCleanup.runtimeContainer());
        assertInstanceOf(ExitReport.Exited.class, r, "the exit is recorded before the cleanup command runs");
        assertEquals(4, ((ExitReport.Exited) r).status().exitCode());
    }

    @Test
    public void terminalGivesTheContainerATtyThatResizes() throws Exception {
        assumeDeclared(RuntimeFeature.TERMINAL);
        String shared = OciConfig.SHARED;
        // stty size fails while the terminal has no size (0x0), so size appears only after the resize
        String script = "if test -t 0 && test -t 1; then echo tty > " + shared + "/tty; else echo none > " + shared + "/tty; fi;"
                + " while :; do stty size > " + shared + "/size.new 2>/dev/null && mv " + shared + "/size.new " + shared + "/size;"
                + " sleep 0.1; done";
        KitContainer c = run(shell(script).withTerminal(true));
        assertEquals("tty", awaitShared(c, "tty").strip(), "test -t 0 and test -t 1 inside");
        runtime.resizeTerminal(c.runtimeContainer(), 33, 101);
        awaitShared(c, "size", s -> s.strip().equals("33 101"));
    }

    // ---------------------------------------------------------------- plumbing

    private static ExecRequest exec(String... command) {
        return new ExecRequest(HexFormat.of().formatHex(randomBytes(6)), List.of(command), ContainerSpec.DEFAULT_ENV, "/", "",
                false, false, false);
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        ThreadLocalRandom.current().nextBytes(b);
        return b;
    }

    private static String readOrNull(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return null;
        }
    }

    private static String quote(String s) {
        return s == null ? "nothing (no file)" : "\"" + s.strip() + "\"";
    }

    /** SIGKILL to a process that is not ours (a monitor, a container's init). */
    private static void killHard(int pid) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }

    /** Waits until {@code pid} has exited; a zombie counts, since whoever reaps it (init, here) may take its time. */
    private static void waitGone(int pid, Duration limit) {
        if (pid <= 0) {
            return;
        }
        Await.until(limit, () -> running(pid) ? Optional.empty() : Optional.of(true), () -> "process " + pid + " is still alive");
    }

    private static boolean running(int pid) {
        String stat = readOrNull(Path.of("/proc", Integer.toString(pid), "stat"));
        if (stat == null) {
            return false;
        }
        int afterName = stat.lastIndexOf(')');
        return afterName < 0 || afterName + 2 >= stat.length() || stat.charAt(afterName + 2) != 'Z';
    }

    /** Runs a host command that must succeed. */
    private static void host(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                fail(String.join(" ", command) + " failed: " + out.strip());
            }
        } catch (IOException e) {
            fail("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted running " + String.join(" ", command));
        }
    }

    /** The features the runtime declares, for a vendor's own cases. */
    protected final Set<RuntimeFeature> features() {
        return runtime.features();
    }
}
