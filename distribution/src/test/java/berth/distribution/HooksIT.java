package berth.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.kernel.json.Json;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 8 end to end: OCI hook files from {@code --hooks-dir} run by runc and crun (and by berth at
 * poststop) with the container state on stdin, {@code when} selection, a Java hook shipped as a
 * plugin jar on BERTH_PLUGIN_PATH, failing and timing-out hooks, bad hook files, and {@code inspect}.
 * The hook scripts append {@code LABEL STATE-JSON} lines to a log file.
 */
class HooksIT {
    static final String ANNOTATION = "io.berth.test/select";
    static final String EXIT_LOG = "io.berth.test/exit-log";
    static final String FAIL_PRESTART = "io.berth.test/fail-prestart";
    static final List<String> STAGES = List.of("prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop");

    @TempDir
    static Path shared;
    static Path pluginDir;

    @TempDir
    Path tmp;
    Berth berth;
    String rootfs;
    Path hooks;
    Path log;
    Path logHook;

    @BeforeAll
    static void buildPlugin() throws IOException {
        pluginDir = buildJavaHookPlugin(shared);
    }

    @BeforeEach
    void setUp() throws IOException {
        berth = new Berth(tmp);
        rootfs = Berth.rootfs().toString();
        hooks = Files.createDirectories(tmp.resolve("hooks.d"));
        log = tmp.resolve("hooks.log");
        logHook = script("log-hook", "state=$(cat)\nprintf '%s %s\\n' \"$1\" \"$state\" >> \"$2\"\n");
        berth.global("--hooks-dir", hooks.toString());
    }

    @AfterEach
    void tearDown() {
        berth.cleanUp();
    }

    // ---------------------------------------------------------------- stages

    @ParameterizedTest
    @ValueSource(strings = {"runc", "crun"})
    void everyStageRunsInOrderWithTheStateOnStdin(String runtime) {
        for (String stage : STAGES) {
            logHookFile("10-" + stage + ".json", stage, Map.of("always", true), stage);
        }
        logHookFile("20-second-prestart.json", "prestart-2", Map.of("always", true), "prestart");

        // the bind mount puts the script and the log at the same path inside: startContainer hooks run there
        Berth.Result r = berth.run("run", "--name", "staged", "--runtime", runtime, "--annotation", ANNOTATION + "=yes",
                "-v", tmp + ":" + tmp, "--rootfs", rootfs, "sh", "-c", "echo container >> " + log);
        assertEquals(0, r.exitCode(), r.err());
        assertFalse(r.err().contains("WARN"), r.err());

        List<String[]> lines = logLines();
        List<String> order = new ArrayList<>();
        for (String[] l : lines) {
            // poststart follows the start signal and races startContainer and the process itself (runc runs it
            // as soon as it has signalled the container's init to exec)
            if (!l[0].equals("poststart")) {
                order.add(l[0]);
            }
        }
        assertEquals(List.of("prestart", "prestart-2", "createRuntime", "createContainer", "startContainer", "container", "poststop"),
                order, "log:\n" + Berth.read(log));
        List<String> labels = labels(lines);
        assertEquals(1, labels.stream().filter("poststart"::equals).count(), Berth.read(log));
        assertTrue(labels.indexOf("poststart") > labels.indexOf("createContainer")
                && labels.indexOf("poststart") < labels.indexOf("poststop"), Berth.read(log));

        String id = berth.run("inspect", "--format", "{{.Id}}", "staged").ok().line();
        for (String[] l : lines) {
            if (l[0].equals("container")) {
                continue;
            }
            Map<String, Object> state = json(l[1]);
            assertEquals(id, state.get("id"), l[0] + ": " + l[1]);
            if (!l[0].equals("startContainer")) { // run inside the container, crun gives "/" there
                assertTrue(String.valueOf(state.get("bundle")).startsWith(berth.root().toString()), l[0] + ": " + l[1]);
            }
            Object annotations = state.get("annotations");
            assertTrue(annotations instanceof Map && "yes".equals(((Map<?, ?>) annotations).get(ANNOTATION)),
                    l[0] + " sees the container's annotations: " + l[1]);
            if (l[0].equals("poststop")) {
                assertEquals("stopped", state.get("status"), l[1]);
                assertEquals(0L, state.get("pid"), l[1]);
            } else {
                // runc says "creating" before start, crun "created" (and "starting" inside); the pid is the host's
                // in the runtime namespace (inside, runc gives 1 and crun 0)
                assertTrue(List.of("creating", "created", "starting", "running").contains(state.get("status")), l[0] + ": " + l[1]);
                assertTrue(state.get("pid") instanceof Number, l[0] + ": " + l[1]);
                if (List.of("prestart", "prestart-2", "createRuntime", "poststart").contains(l[0])) {
                    assertTrue(((Number) state.get("pid")).longValue() > 1, l[0] + ": " + l[1]);
                }
            }
        }

        List<String> applied = inspectHooks("staged");
        List<String> expected = new ArrayList<>();
        for (String stage : STAGES) {
            expected.add(stage + ": " + hooks.resolve("10-" + stage + ".json") + " (oci-hooks)");
            if (stage.equals("prestart")) {
                expected.add("prestart: " + hooks.resolve("20-second-prestart.json") + " (oci-hooks)");
            }
        }
        assertEquals(expected, applied);
    }

    // ---------------------------------------------------------------- when

    @Test
    void whenConditionsSelectAndSkipHooksAsTheSchemaSays() {
        logHookFile("10-always.json", "always", Map.of("always", true), "prestart");
        logHookFile("11-always-false.json", "always-false", Map.of("always", false), "prestart");
        logHookFile("20-annotation.json", "annotation", Map.of("annotations", Map.of("^io\\.berth\\.test/sel", "^y.s$")), "prestart");
        logHookFile("21-annotation-other-value.json", "annotation-other-value",
                Map.of("annotations", Map.of("^io\\.berth\\.test/select$", "^no$")), "prestart");
        logHookFile("30-command.json", "command", Map.of("commands", List.of("^/bin/nothing$", "^s[h]$")), "prestart");
        logHookFile("31-command-other.json", "command-other", Map.of("commands", List.of("^python")), "prestart");
        Map<String, Object> both = new LinkedHashMap<>();
        both.put("always", true);
        both.put("commands", List.of("^true$"));
        logHookFile("40-all-must-match.json", "all-must-match", both, "prestart");
        logHookFile("50-bind-mounts.json", "bind-mounts", Map.of("hasBindMounts", true), "prestart");

        berth.run("run", "--rm", "--runtime", "crun", "--annotation", ANNOTATION + "=yes", "--rootfs", rootfs, "sh", "-c", "true").ok();
        assertEquals(List.of("always", "annotation", "command"), labels(logLines()));

        clearLog();
        berth.run("run", "--name", "second", "--runtime", "crun", "--annotation", ANNOTATION + "=no", "-v", tmp + ":/mnt",
                "--rootfs", rootfs, "sh", "-c", "true").ok();
        assertEquals(List.of("always", "annotation-other-value", "command", "bind-mounts"), labels(logLines()));
        assertEquals(List.of("prestart: " + hooks.resolve("10-always.json") + " (oci-hooks)",
                "prestart: " + hooks.resolve("21-annotation-other-value.json") + " (oci-hooks)",
                "prestart: " + hooks.resolve("30-command.json") + " (oci-hooks)",
                "prestart: " + hooks.resolve("50-bind-mounts.json") + " (oci-hooks)"), inspectHooks("second"));

        clearLog();
        berth.run("run", "--rm", "--runtime", "crun", "--rootfs", rootfs, "true").ok();
        assertEquals(List.of("always", "all-must-match"), labels(logLines()));
    }

    // ---------------------------------------------------------------- Java hooks

    @ParameterizedTest
    @ValueSource(strings = {"runc", "crun"})
    void javaHookFromAPluginJarRunsAtEveryStageAndSeesTheExitCodeAtPoststop(String runtime) {
        berth.env("BERTH_PLUGIN_PATH", pluginDir.toString());
        String info = berth.run("info").ok().out();
        assertTrue(info.lines().anyMatch(l -> l.contains("test-exit-hook") && l.contains("berth.test.exithook")), info);

        Berth.Result r = berth.run("run", "--name", "java", "--runtime", runtime, "--annotation", EXIT_LOG + "=" + log,
                "--rootfs", rootfs, "sh", "-c", "exit 7");
        assertEquals(7, r.exitCode(), r.err());
        assertEquals(List.of("prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop exit=7"),
                javaLines(), Berth.read(log));
        List<String> applied = inspectHooks("java");
        for (String stage : STAGES) {
            assertTrue(applied.contains(stage + ": exit-recorder (test-exit-hook)"), applied.toString());
        }
        berth.run("rm", "java").ok();

        // detached: the container exits on its own and conmon's exit command cleans up
        clearLog();
        berth.run("run", "-d", "--runtime", runtime, "--annotation", EXIT_LOG + "=" + log, "--rootfs", rootfs,
                "sh", "-c", "sleep 0.3; exit 5").ok();
        assertTrue(Berth.eventually(20_000, () -> Files.exists(log) && Berth.read(log).contains("poststop exit=5")),
                "poststop of a detached container: " + (Files.exists(log) ? Berth.read(log) : "(no log)"));
    }

    @Test
    void withoutThePluginPathTheJavaHookIsNotThere() {
        String info = berth.run("info").ok().out();
        assertFalse(info.contains("test-exit-hook"), info);
        berth.run("run", "--rm", "--runtime", "crun", "--annotation", EXIT_LOG + "=" + log, "--rootfs", rootfs, "true").ok();
        assertFalse(Files.exists(log));
    }

    // ---------------------------------------------------------------- failing hooks

    @ParameterizedTest
    @ValueSource(strings = {"runc", "crun"})
    void aFailingOciPrestartHookFailsTheStartAndNamesTheHook(String runtime) {
        Path failing = script("refuser", "echo 'boom: refused' >&2\nexit 3\n");
        Path file = hookFile("50-refuse.json", failing, List.of(), Map.of("always", true), 0, "prestart");
        logHookFile("90-poststop.json", "poststop", Map.of("always", true), "poststop");
        Path started = tmp.resolve("started");

        Berth.Result r = berth.run("run", "--name", "refused", "--runtime", runtime, "--rootfs", rootfs,
                "-v", tmp + ":" + tmp, "sh", "-c", "touch " + started);
        assertEquals(125, r.exitCode(), r.err());
        assertTrue(r.err().contains(failing.toString()), "names the hook: " + r.err());
        assertTrue(r.err().contains(file.toString()), "names the hook file: " + r.err());
        assertFalse(Files.exists(started), "the container ran");
        assertEquals("created", statusWord("refused"), "never started");
        assertEquals("0", berth.run("inspect", "--format", "{{.State.Pid}}", "refused").ok().line());
        // a later start fails the same way, and rm still works
        assertEquals(125, berth.run("start", "refused").exitCode());
        berth.run("rm", "refused").ok();
        assertFalse(Files.exists(started), "the container ran");
    }

    @Test
    void aFailingJavaPrestartHookFailsTheStartAndNamesTheHook() {
        berth.env("BERTH_PLUGIN_PATH", pluginDir.toString());
        Path started = tmp.resolve("started");
        Berth.Result r = berth.run("run", "--rm", "--runtime", "crun", "--annotation", EXIT_LOG + "=" + log,
                "--annotation", FAIL_PRESTART + "=1", "-v", tmp + ":" + tmp, "--rootfs", rootfs, "sh", "-c", "touch " + started);
        assertEquals(125, r.exitCode(), r.err());
        assertTrue(r.err().contains("prestart hook exit-recorder (test-exit-hook) failed"), r.err());
        assertTrue(r.err().contains("refusing to start"), r.err());
        assertFalse(Files.exists(started), "the container ran");
        assertEquals(List.of("prestart"), javaLines(), "no later stage ran");
        assertEquals("", berth.run("ps", "-a", "-q").ok().out(), "--rm left a container behind");
    }

    @ParameterizedTest
    @ValueSource(strings = {"runc", "crun"})
    void aPrestartHookThatTimesOutFailsTheStartAndNamesTheHook(String runtime) {
        Path slow = script("sleeper", "exec sleep 60\n");
        Path file = hookFile("50-slow.json", slow, List.of(), Map.of("always", true), 1, "prestart");
        long t0 = System.nanoTime();
        Berth.Result r = berth.run("run", "--rm", "--runtime", runtime, "--rootfs", rootfs, "true");
        long seconds = (System.nanoTime() - t0) / 1_000_000_000L;
        assertEquals(125, r.exitCode(), r.err());
        assertTrue(r.err().contains(file.toString()), "names the hook file: " + r.err());
        assertTrue(seconds < 30, "took " + seconds + " s");
        assertEquals("", berth.run("ps", "-a", "-q").ok().out());
    }

    @Test
    void aPoststopHookThatFailsOrTimesOutIsAWarningAndTheOthersStillRun() {
        Path slow = script("sleeper", "exec sleep 60\n");
        Path failing = script("failing-hook", "echo 'boom: poststop refuses' >&2\nexit 4\n");
        Path slowFile = hookFile("10-slow.json", slow, List.of(), Map.of("always", true), 1, "poststop");
        Path failFile = hookFile("20-failing.json", failing, List.of(), Map.of("always", true), 0, "poststop");
        logHookFile("30-log.json", "poststop", Map.of("always", true), "poststop");

        long t0 = System.nanoTime();
        Berth.Result r = berth.run("run", "--rm", "--runtime", "crun", "--rootfs", rootfs, "sh", "-c", "echo ran");
        long seconds = (System.nanoTime() - t0) / 1_000_000_000L;
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("ran", r.line());
        assertTrue(r.err().contains("WARN: poststop hook " + slowFile) && r.err().contains("timed out after 1 s"), r.err());
        assertTrue(r.err().contains("WARN: poststop hook " + failFile) && r.err().contains("exited with code 4")
                && r.err().contains("boom: poststop refuses"), r.err());
        assertEquals(List.of("poststop"), labels(logLines()), "the later poststop hook still ran");
        assertTrue(seconds < 30, "took " + seconds + " s");
        assertEquals("", berth.run("ps", "-a", "-q").ok().out(), "removal completed");
    }

    // ---------------------------------------------------------------- bad input

    @Test
    void badHookFilesAreReportedByNameAndSkippedAndTheContainerStillRuns() throws IOException {
        logHookFile("10-good.json", "good", Map.of("always", true), "prestart");
        Path malformed = write("20-malformed.json", "{\"version\": \"1.0.0\", \"hook\": ");
        Map<String, Object> v = hook(logHook, List.of("log-hook", "bad-version", log.toString()), Map.of("always", true), 0, "prestart");
        v.put("version", "2.0.0");
        Path version = write("30-version.json", Json.write(v));
        Path regex = hookFile("40-regex.json", logHook, List.of("log-hook", "bad-regex", log.toString()),
                Map.of("commands", List.of("sh(")), 0, "prestart");
        Path missing = hookFile("50-missing.json", tmp.resolve("no-such-hook"), List.of(), Map.of("always", true), 0, "prestart");
        Path stage = hookFile("60-stage.json", logHook, List.of("log-hook", "bad-stage", log.toString()),
                Map.of("always", true), 0, "precreate");
        logHookFile("90-good-poststop.json", "good-poststop", Map.of("always", true), "poststop");

        Berth.Result r = berth.run("run", "--name", "survivor", "--runtime", "runc", "--rootfs", rootfs, "sh", "-c", "echo ran");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("ran", r.line());
        assertEquals(List.of("good", "good-poststop"), labels(logLines()), "the good hooks still ran");
        String err = r.err();
        assertWarnedOnce(err, "WARN: hook file " + malformed + ": malformed JSON");
        assertWarnedOnce(err, "WARN: hook file " + version + ": version: unsupported hook version \"2.0.0\"");
        assertWarnedOnce(err, "WARN: hook file " + regex + ": when.commands[0]: regex \"sh(\" does not compile");
        assertWarnedOnce(err, "WARN: hook file " + missing + ": hook.path: \"" + tmp.resolve("no-such-hook") + "\" does not exist");
        assertWarnedOnce(err, "WARN: hook file " + stage + ": stages[0]: unknown stage \"precreate\"");
        assertEquals(List.of("prestart: " + hooks.resolve("10-good.json") + " (oci-hooks)",
                "poststop: " + hooks.resolve("90-good-poststop.json") + " (oci-hooks)"), inspectHooks("survivor"));
    }

    @Test
    void aHooksDirThatDoesNotExistIsNoError() {
        Berth b = new Berth(tmp.resolve("other")).global("--hooks-dir", tmp.resolve("nowhere").toString());
        try {
            Berth.Result r = b.run("run", "--rm", "--runtime", "crun", "--rootfs", rootfs, "sh", "-c", "echo ran");
            assertEquals(0, r.exitCode(), r.err());
            assertEquals("ran", r.line());
            assertFalse(r.err().contains("WARN"), r.err());
        } finally {
            b.cleanUp();
        }
    }

    // ---------------------------------------------------------------- helpers

    private static void assertWarnedOnce(String err, String prefix) {
        int first = err.indexOf(prefix);
        assertTrue(first >= 0, "expected a warning starting \"" + prefix + "\" in:\n" + err);
        assertEquals(-1, err.indexOf(prefix, first + 1), "warned more than once:\n" + err);
    }

    private String statusWord(String name) {
        return berth.run("inspect", "--format", "{{.State.Status}}", name).ok().line();
    }

    private List<String> inspectHooks(String name) {
        Object doc;
        try {
            doc = Json.parse(berth.run("inspect", name).ok().out());
        } catch (Json.MalformedJsonException e) {
            throw new AssertionError(e);
        }
        Map<?, ?> c = (Map<?, ?>) ((List<?>) doc).get(0);
        List<String> out = new ArrayList<>();
        for (Object o : (List<?>) c.get("Hooks")) {
            out.add(String.valueOf(o));
        }
        return out;
    }

    private Path script(String name, String body) {
        try {
            Path p = Files.createDirectories(tmp.resolve("bin")).resolve(name);
            Files.writeString(p, "#!/bin/sh\n" + body);
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
            return p;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private Path write(String file, String content) throws IOException {
        return Files.writeString(hooks.resolve(file), content);
    }

    private static Map<String, Object> hook(Path path, List<String> args, Map<String, Object> when, int timeout, String... stages) {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("path", path.toString());
        if (!args.isEmpty()) {
            h.put("args", args);
        }
        if (timeout > 0) {
            h.put("timeout", timeout);
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("version", "1.0.0");
        doc.put("hook", h);
        doc.put("when", when);
        doc.put("stages", List.of(stages));
        return doc;
    }

    private Path hookFile(String file, Path path, List<String> args, Map<String, Object> when, int timeout, String... stages) {
        try {
            return write(file, Json.write(hook(path, args, when, timeout, stages)));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** A hook file running the logging script, which appends "{@code label} STATE" to {@link #log}. */
    private Path logHookFile(String file, String label, Map<String, Object> when, String... stages) {
        return hookFile(file, logHook, List.of("log-hook", label, log.toString()), when, 0, stages);
    }

    private void clearLog() {
        try {
            Files.deleteIfExists(log);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** The log's lines as {label, rest}. */
    private List<String[]> logLines() {
        List<String[]> out = new ArrayList<>();
        if (!Files.exists(log)) {
            return out;
        }
        for (String l : Berth.read(log).split("\n")) {
            if (!l.isEmpty()) {
                int sp = l.indexOf(' ');
                out.add(sp < 0 ? new String[] {l, ""} : new String[] {l.substring(0, sp), l.substring(sp + 1)});
            }
        }
        return out;
    }

    private static List<String> labels(List<String[]> lines) {
        return lines.stream().map(l -> l[0]).toList();
    }

    /** The Java hook's lines: "java STAGE[ exit=N]". */
    private List<String> javaLines() {
        if (!Files.exists(log)) {
            return List.of();
        }
        return Berth.read(log).lines().filter(l -> l.startsWith("java ")).map(l -> l.substring(5)).toList();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(String s) {
        try {
            return (Map<String, Object>) Json.parse(s);
        } catch (Json.MalformedJsonException e) {
            throw new AssertionError("not JSON: " + s, e);
        }
    }

    // ---------------------------------------------------------------- the Java hook plugin

    /**
     * Compiles and jars a plugin module at test time against the distribution's own jars: a
     * HookProvider whose hook is called at every stage and appends "java STAGE" (at poststop
     * "java poststop exit=N") to the file named by the {@value #EXIT_LOG} annotation, and which
     * throws at prestart when {@value #FAIL_PRESTART} is set.
     */
    static Path buildJavaHookPlugin(Path work) throws IOException {
        Path src = work.resolve("src");
        Path pkg = Files.createDirectories(src.resolve("berth/test/exithook"));
        Files.writeString(src.resolve("module-info.java"), """
                module berth.test.exithook {
                    requires berth.kernel;
                    provides berth.kernel.spi.hook.HookProvider with berth.test.exithook.ExitHookProvider;
                }
                """);
        Files.writeString(pkg.resolve("ExitHookProvider.java"), """
                package berth.test.exithook;

                import berth.kernel.spi.hook.HookContext;
                import berth.kernel.spi.hook.HookProvider;
                import berth.kernel.spi.hook.HookSet;
                import java.nio.file.Path;
                import java.util.List;

                public final class ExitHookProvider implements HookProvider {
                    @Override
                    public String id() {
                        return "test-exit-hook";
                    }

                    @Override
                    public String description() {
                        return "test plugin: records the stages and the exit code";
                    }

                    @Override
                    public HookSet hooksFor(HookContext context) {
                        String log = context.config().annotations().get("%s");
                        if (log == null) {
                            return HookSet.EMPTY;
                        }
                        boolean fail = context.config().annotations().containsKey("%s");
                        return new HookSet(List.of(), List.of(new ExitHook(Path.of(log), fail)));
                    }
                }
                """.formatted(EXIT_LOG, FAIL_PRESTART));
        Files.writeString(pkg.resolve("ExitHook.java"), """
                package berth.test.exithook;

                import berth.kernel.spi.hook.HookInvocation;
                import berth.kernel.spi.hook.HookStage;
                import berth.kernel.spi.hook.InProcessHook;
                import java.io.IOException;
                import java.nio.file.Files;
                import java.nio.file.Path;
                import java.nio.file.StandardOpenOption;
                import java.util.EnumSet;
                import java.util.Set;

                final class ExitHook implements InProcessHook {
                    private final Path log;
                    private final boolean failPrestart;

                    ExitHook(Path log, boolean failPrestart) {
                        this.log = log;
                        this.failPrestart = failPrestart;
                    }

                    @Override
                    public String name() {
                        return "exit-recorder";
                    }

                    @Override
                    public Set<HookStage> stages() {
                        return EnumSet.allOf(HookStage.class);
                    }

                    @Override
                    public void run(HookInvocation inv) throws IOException {
                        String line = "java " + inv.stage().specName()
                                + (inv.stage() == HookStage.POSTSTOP ? " exit=" + inv.exitCode() : "") + "\\n";
                        Files.writeString(log, line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                        if (failPrestart && inv.stage() == HookStage.PRESTART) {
                            throw new IllegalStateException("refusing to start " + inv.config().name());
                        }
                    }
                }
                """);
        Path classes = work.resolve("classes");
        List<String> modulePath;
        try (Stream<Path> jars = Files.list(Berth.HOME.resolve("lib"))) {
            modulePath = jars.filter(p -> p.toString().endsWith(".jar")).map(Path::toString).toList();
        }
        List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "--module-path", String.join(":", modulePath),
                "--release", "17"));
        try (Stream<Path> files = Files.walk(src)) {
            files.filter(p -> p.toString().endsWith(".java")).forEach(p -> args.add(p.toString()));
        }
        JavaCompiler javac = javax.tools.ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new AssertionError("the tests need a JDK (no system Java compiler)");
        }
        java.io.ByteArrayOutputStream diagnostics = new java.io.ByteArrayOutputStream();
        int rc = javac.run(null, diagnostics, diagnostics, args.toArray(new String[0]));
        assertEquals(0, rc, "compiling the test plugin failed:\n" + diagnostics.toString(StandardCharsets.UTF_8));
        Path plugins = Files.createDirectories(work.resolve("plugins"));
        ToolProvider jar = ToolProvider.findFirst("jar").orElseThrow(() -> new AssertionError("no jar tool"));
        StringWriter out = new StringWriter();
        int jrc = jar.run(new java.io.PrintWriter(out), new java.io.PrintWriter(out), "--create",
                "--file", plugins.resolve("berth-test-exithook.jar").toString(), "-C", classes.toString(), ".");
        assertEquals(0, jrc, "jar failed: " + out);
        return plugins;
    }
}
