package berth.hooks.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.json.Json;
import berth.kernel.json.JsonObject;
import berth.kernel.model.ContainerConfig;
import berth.kernel.spi.hook.HookInvocation;
import berth.kernel.spi.hook.HookSet;
import berth.kernel.spi.hook.HookStage;
import berth.kernel.spi.hook.InProcessHook;
import berth.kernel.spi.hook.SpecHook;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs real hook processes: scripts that log what they got, a sleeper, a failing hook, busybox. */
class HookRunnerTest {
    @TempDir
    Path tmp;

    /** Appends "stage=$1 ..." and then its stdin to $HOOK_LOG. */
    private Path loggingScript() {
        return Fixtures.script(tmp.resolve("bin"), "log-hook",
                "printf 'stage=%s argc=%s home=%s var=%s\\n' \"$1\" \"$#\" \"${HOME-unset}\" \"${HOOK_VAR-unset}\" >> \"$HOOK_LOG\"\n"
                        + "cat >> \"$HOOK_LOG\"\n"
                        + "printf '\\n' >> \"$HOOK_LOG\"");
    }

    @Test
    void poststopHookRunsTheProcessWithTheStateOnStdinItsArgsAndOnlyItsEnv() throws Exception {
        Path script = loggingScript();
        Path log = tmp.resolve("hook.log");
        Path dir = tmp.resolve("hooks.d");
        Map<String, Object> doc = Fixtures.hook(script, Fixtures.always(), "poststop");
        Fixtures.hookObject(doc).put("args", List.of(script.toString(), "poststop"));
        Fixtures.hookObject(doc).put("env", List.of("HOOK_LOG=" + log, "HOOK_VAR=from-hook-file"));
        Fixtures.hookObject(doc).put("timeout", 5);
        Path file = Fixtures.writeHook(dir, "50-log.json", doc);

        ContainerConfig config = Fixtures.container().annotations(Map.of("io.example/b", "2", "io.example/a", "1")).build();
        HookSet set = new OciHooksProvider(w -> { throw new AssertionError(w); }).hooksFor(Fixtures.context(config, dir));
        assertTrue(set.specHooks().isEmpty(), "poststop must not go into config.json: " + set.specHooks());
        assertEquals(1, set.inProcess().size());
        InProcessHook hook = set.inProcess().get(0);
        assertEquals(file.toString(), hook.name());
        assertEquals(java.util.Set.of(HookStage.POSTSTOP), hook.stages());

        Path bundle = tmp.resolve("bundle");
        hook.run(new HookInvocation(HookStage.POSTSTOP, config, bundle, 4321, 137, "stopped"));

        List<String> lines = Files.readAllLines(log);
        assertEquals("stage=poststop argc=1 home=unset var=from-hook-file", lines.get(0));
        JsonObject state = Json.parseObject(lines.get(1));
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("ociVersion", "1.0.2");
        expected.put("id", config.id());
        expected.put("status", "stopped");
        expected.put("pid", 0L);
        expected.put("bundle", bundle.toString());
        expected.put("annotations", Map.of("io.example/a", "1", "io.example/b", "2"));
        assertEquals(expected, state.asMap());
        assertEquals("{\"ociVersion\":\"1.0.2\",\"id\":\"" + config.id() + "\",\"status\":\"stopped\",\"pid\":0,\"bundle\":\""
                + bundle + "\",\"annotations\":{\"io.example/a\":\"1\",\"io.example/b\":\"2\"}}", lines.get(1));
    }

    @Test
    void poststopStateCarriesTheAnnotationsOfTheBundlesConfigJson() throws Exception {
        ContainerConfig config = Fixtures.container().annotations(Map.of("io.example/a", "1")).build();
        Path bundle = Files.createDirectories(tmp.resolve("bundle"));
        Files.writeString(bundle.resolve("config.json"),
                "{\"ociVersion\":\"1.0.2\",\"annotations\":{\"io.example/a\":\"1\",\"io.container.manager\":\"berth\"}}");
        JsonObject state = Json.parseObject(PoststopHook.stateJson(
                new HookInvocation(HookStage.POSTSTOP, config, bundle, 0, 0, "stopped")));
        assertEquals(Map.of("io.example/a", "1", "io.container.manager", "berth"), state.asMap().get("annotations"));

        Files.writeString(bundle.resolve("config.json"), "{not json");
        state = Json.parseObject(PoststopHook.stateJson(new HookInvocation(HookStage.POSTSTOP, config, bundle, 0, 0, "stopped")));
        assertEquals(Map.of("io.example/a", "1"), state.asMap().get("annotations"), "an unreadable config.json is no error");
    }

    @Test
    void runnerRunsEveryStagesHookInOrderWithTheStateOnStdin() throws Exception {
        Path script = loggingScript();
        Path log = tmp.resolve("stages.log");
        List<String> seen = new ArrayList<>();
        for (HookStage stage : HookStage.values()) {
            SpecHook h = new SpecHook(stage, script.toString(), List.of(script.toString(), stage.specName()),
                    List.of("HOOK_LOG=" + log), 5, "test");
            String state = "{\"ociVersion\":\"1.0.2\",\"id\":\"c1\",\"status\":\"" + stage.specName() + "-state\"}";
            HookRunner.run(h, state.getBytes(StandardCharsets.UTF_8));
            seen.add("stage=" + stage.specName() + " argc=1 home=unset var=unset");
            seen.add(state);
        }
        assertEquals(seen, Files.readAllLines(log));
    }

    @Test
    void argsZeroIsArgv0AndTheEnvironmentIsExactlyTheHooks() {
        Path busybox = busybox();
        // busybox picks its applet by argv0: with argv0 "echo" it echoes; were argv0 the path, "hello" would be the applet.
        HookRunner.Output out = HookRunner.run(new SpecHook(HookStage.POSTSTOP, busybox.toString(),
                List.of("echo", "hello", "world"), List.of(), 5, "test"), new byte[0]);
        assertEquals("hello world\n", out.stdout());

        // A locale the host lacks: perl (the argv0 trampoline) must neither complain nor leave PERL_BADLANG behind.
        HookRunner.Output env = HookRunner.run(new SpecHook(HookStage.POSTSTOP, busybox.toString(),
                List.of("env"), List.of("A=1", "LC_ALL=xx_YY", "B=two=2"), 5, "test"), new byte[0]);
        assertEquals(List.of("A=1", "B=two=2", "LC_ALL=xx_YY"), env.stdout().lines().sorted().toList());
        assertEquals("", env.stderr());
    }

    @Test
    void emptyArgsRunThePathAlone() {
        Path script = Fixtures.script(tmp, "argv", "printf '%s|%s' \"$#\" \"$0\"");
        HookRunner.Output out = HookRunner.run(new SpecHook(HookStage.POSTSTOP, script.toString(), List.of(), List.of(), 5, "t"),
                new byte[0]);
        assertEquals("0|" + script, out.stdout());
    }

    @Test
    void aHookOutlivingItsTimeoutIsKilledAndReportedQuickly() throws Exception {
        Path pidFile = tmp.resolve("sleep.pid");
        Path script = Fixtures.script(tmp, "sleeper", "sleep 10 &\necho $! > \"$PIDFILE\"\necho waiting >&2\nwait");
        SpecHook h = new SpecHook(HookStage.POSTSTOP, script.toString(), List.of(), List.of("PIDFILE=" + pidFile), 1,
                "/etc/containers/oci/hooks.d/sleeper.json");
        long start = System.nanoTime();
        BerthException e = assertThrows(BerthException.class, () -> HookRunner.run(h, "{}".getBytes(StandardCharsets.UTF_8)));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(ErrorCode.HOOK_FAILED, e.code());
        assertTrue(e.getMessage().contains(script.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("timed out after 1 s"), e.getMessage());
        assertTrue(e.getMessage().contains("/etc/containers/oci/hooks.d/sleeper.json"), e.getMessage());
        assertTrue(e.getMessage().contains("waiting"), "stderr so far is reported: " + e.getMessage());
        assertTrue(millis < 5_000, "took " + millis + " ms");

        long sleepPid = Long.parseLong(Files.readString(pidFile).strip());
        Optional<ProcessHandle> sleep = ProcessHandle.of(sleepPid);
        long deadline = System.currentTimeMillis() + 2_000;
        while (sleep.isPresent() && sleep.get().isAlive() && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertFalse(sleep.isPresent() && sleep.get().isAlive(), "the hook's child survived the kill");
    }

    @Test
    void aForegroundSleepHookTimesOutToo() {
        Path script = Fixtures.script(tmp, "sleep-10", "sleep 10");
        SpecHook h = new SpecHook(HookStage.POSTSTOP, script.toString(), List.of(script.toString()), List.of(), 1, "x.json");
        long start = System.nanoTime();
        BerthException e = assertThrows(BerthException.class, () -> HookRunner.run(h, new byte[0]));
        assertTrue(e.getMessage().contains(script + " (from x.json) timed out after 1 s"), e.getMessage());
        assertTrue((System.nanoTime() - start) / 1_000_000 < 5_000);
    }

    @Test
    void aNonZeroExitNamesTheHookTheCodeAndItsStderr() {
        Path script = Fixtures.script(tmp, "fails", "echo 'the device is busy' >&2\nexit 3");
        SpecHook h = new SpecHook(HookStage.POSTSTOP, script.toString(), List.of(), List.of(), 0, "/hooks/fails.json");
        BerthException e = assertThrows(BerthException.class, () -> HookRunner.run(h, new byte[0]));
        assertEquals(ErrorCode.HOOK_FAILED, e.code());
        assertTrue(e.getMessage().contains("poststop hook " + script + " (from /hooks/fails.json) exited with code 3"), e.getMessage());
        assertTrue(e.getMessage().contains("the device is busy"), e.getMessage());
    }

    @Test
    void aHookThatIgnoresALargeStdinStillCompletes() {
        Path script = Fixtures.script(tmp, "ignores-stdin", "echo done");
        byte[] big = new byte[1 << 20];
        java.util.Arrays.fill(big, (byte) 'x');
        HookRunner.Output out = HookRunner.run(new SpecHook(HookStage.POSTSTOP, script.toString(), List.of(), List.of(), 5, "t"), big);
        assertEquals("done\n", out.stdout());
    }

    @Test
    void aHookThatCannotBeStartedIsReported() throws Exception {
        Path script = Fixtures.script(tmp, "gone", "true");
        Files.delete(script);
        BerthException e = assertThrows(BerthException.class, () -> HookRunner.run(
                new SpecHook(HookStage.POSTSTOP, script.toString(), List.of(), List.of(), 5, "g.json"), new byte[0]));
        assertTrue(e.getMessage().contains(script + " (from g.json) could not be started"), e.getMessage());

        // Through the argv0 trampoline the failure is an exit code with perl's reason.
        BerthException viaPerl = assertThrows(BerthException.class, () -> HookRunner.run(
                new SpecHook(HookStage.POSTSTOP, script.toString(), List.of("gone"), List.of(), 5, "g.json"), new byte[0]));
        assertTrue(viaPerl.getMessage().contains("exited with code 127"), viaPerl.getMessage());
        assertTrue(viaPerl.getMessage().contains("No such file or directory"), viaPerl.getMessage());
    }

    static Path busybox() {
        for (String p : List.of("/usr/bin/busybox", "/bin/busybox")) {
            if (Files.isExecutable(Path.of(p))) {
                return Path.of(p);
            }
        }
        throw new AssertionError("this test needs busybox (Debian package busybox-static)");
    }
}
