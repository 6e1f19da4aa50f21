package berth.hooks.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.kernel.model.ContainerConfig;
import berth.kernel.model.MountSpec;
import berth.kernel.plugin.PluginRegistry;
import berth.kernel.spi.hook.HookProvider;
import berth.kernel.spi.hook.HookSet;
import berth.kernel.spi.hook.HookStage;
import berth.kernel.spi.hook.InProcessHook;
import berth.kernel.spi.hook.SpecHook;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which hook files apply to which container, in which order, from which directory. */
class SelectionTest {
    @TempDir
    Path tmp;
    Path hookBin;
    Path dir;
    final List<String> warnings = new ArrayList<>();
    OciHooksProvider provider;

    @BeforeEach
    void setUp() {
        hookBin = Fixtures.script(tmp.resolve("bin"), "hook", "true");
        dir = tmp.resolve("hooks.d");
        provider = new OciHooksProvider(warnings::add);
    }

    private HookSet hooksFor(ContainerConfig config, Path... dirs) {
        HookSet set = provider.hooksFor(Fixtures.context(config, dirs));
        assertEquals(List.of(), warnings, "no file here is invalid");
        return set;
    }

    private List<String> selected(ContainerConfig config) {
        List<String> names = new ArrayList<>();
        for (SpecHook h : hooksFor(config, dir).specHooks()) {
            names.add(Path.of(h.source()).getFileName().toString());
        }
        return names;
    }

    private void hookFile(String name, Map<String, Object> when) {
        Fixtures.writeHook(dir, name, Fixtures.hook(hookBin, when, "prestart"));
    }

    @Test
    void everyStageButPoststopBecomesASpecHookWithTheFilesFields() {
        Map<String, Object> doc = Fixtures.hook(hookBin, Fixtures.always(),
                "poststop", "poststart", "startContainer", "createContainer", "createRuntime", "prestart");
        Fixtures.hookObject(doc).put("args", List.of("hook", "--verbose"));
        Fixtures.hookObject(doc).put("env", List.of("A=1", "B=2"));
        Fixtures.hookObject(doc).put("timeout", 7);
        Path file = Fixtures.writeHook(dir, "10-all.json", doc);

        HookSet set = hooksFor(Fixtures.container().build(), dir);
        List<SpecHook> expected = new ArrayList<>();
        for (HookStage s : List.of(HookStage.PRESTART, HookStage.CREATE_RUNTIME, HookStage.CREATE_CONTAINER,
                HookStage.START_CONTAINER, HookStage.POSTSTART)) {
            expected.add(new SpecHook(s, hookBin.toString(), List.of("hook", "--verbose"), List.of("A=1", "B=2"), 7, file.toString()));
        }
        assertEquals(expected, set.specHooks());
        assertEquals(1, set.inProcess().size());
        InProcessHook post = set.inProcess().get(0);
        assertEquals(new SpecHook(HookStage.POSTSTOP, hookBin.toString(), List.of("hook", "--verbose"), List.of("A=1", "B=2"), 7,
                file.toString()), ((PoststopHook) post).specHook());
    }

    @Test
    void alwaysTrueSelectsAndAlwaysFalseSkips() {
        hookFile("yes.json", Map.of("always", true));
        hookFile("no.json", Map.of("always", false));
        assertEquals(List.of("yes.json"), selected(Fixtures.container().build()));
    }

    @Test
    void annotationKeyAndValueRegexesMustBothMatchOneAnnotation() {
        // The oci-hooks(5) example.
        hookFile("nvidia.json", Map.of("annotations", Map.of("^com\\.example\\.department$", ".*fluid-dynamics$")));

        assertEquals(List.of("nvidia.json"), selected(Fixtures.container()
                .annotations(Map.of("other", "x", "com.example.department", "computational-fluid-dynamics")).build()));
        assertEquals(List.of(), selected(Fixtures.container()
                .annotations(Map.of("com.example.department", "accounting")).build()), "value does not match");
        assertEquals(List.of(), selected(Fixtures.container()
                .annotations(Map.of("com.example.department.old", "fluid-dynamics")).build()), "key is anchored by ^...$");
        assertEquals(List.of(), selected(Fixtures.container()
                .annotations(Map.of("com.example.department", "x", "unrelated", "fluid-dynamics")).build()),
                "key and value must match the same annotation");
        assertEquals(List.of(), selected(Fixtures.container().build()), "no annotations at all");
    }

    @Test
    void everyAnnotationPairMustMatch() {
        Map<String, Object> pairs = new LinkedHashMap<>();
        pairs.put("^a$", "^1$");
        pairs.put("^b$", "^2$");
        hookFile("both.json", Map.of("annotations", pairs));
        assertEquals(List.of("both.json"), selected(Fixtures.container().annotations(Map.of("a", "1", "b", "2")).build()));
        assertEquals(List.of(), selected(Fixtures.container().annotations(Map.of("a", "1", "b", "3")).build()));
    }

    @Test
    void commandRegexesMatchCommandZeroUnanchoredAsPodman() {
        // The oci-hooks(5) example: process.args[0] ending with /init or /systemd.
        hookFile("systemd.json", Map.of("commands", List.of(".*/init$", ".*/systemd$")));
        // Unanchored, as Go's regexp.MatchString: "sh" is found in "/bin/bash".
        hookFile("sh.json", Map.of("commands", List.of("sh")));

        assertEquals(List.of("systemd.json"), selected(Fixtures.container().command(List.of("/usr/sbin/init")).build()));
        assertEquals(List.of("systemd.json"), selected(Fixtures.container().command(List.of("/lib/systemd/systemd", "--user")).build()));
        assertEquals(List.of("sh.json"), selected(Fixtures.container().command(List.of("/bin/bash", "-c", "/sbin/init")).build()),
                "only command[0] is matched");
        assertEquals(List.of(), selected(Fixtures.container().command(List.of("/usr/sbin/initrd")).build()));
        assertEquals(List.of(), selected(Fixtures.container().command(List.of()).build()), "no command, no match");
    }

    @Test
    void hasBindMountsMatchesOnlyContainersWithABindMount() {
        hookFile("umount.json", Map.of("hasBindMounts", true));
        hookFile("never.json", Map.of("hasBindMounts", false));
        assertEquals(List.of("umount.json"), selected(Fixtures.withBindMount(Fixtures.container())));
        assertEquals(List.of(), selected(Fixtures.container()
                .mounts(List.of(MountSpec.parseTmpfs("/run"))).build()), "a tmpfs is not a bind mount");
        assertEquals(List.of(), selected(Fixtures.container().build()));
    }

    @Test
    void allConditionsSetMustMatch() {
        Map<String, Object> when = new LinkedHashMap<>();
        when.put("always", true);
        when.put("hasBindMounts", true);
        when.put("annotations", Map.of("^gpu$", "^yes$"));
        when.put("commands", List.of("^/usr/bin/train$"));
        hookFile("all.json", when);

        assertEquals(List.of("all.json"), selected(Fixtures.withBindMount(
                Fixtures.container().annotations(Map.of("gpu", "yes")).command(List.of("/usr/bin/train")))));
        assertEquals(List.of(), selected(
                Fixtures.container().annotations(Map.of("gpu", "yes")).command(List.of("/usr/bin/train")).build()),
                "no bind mount");
        assertEquals(List.of(), selected(Fixtures.withBindMount(
                Fixtures.container().annotations(Map.of("gpu", "no")).command(List.of("/usr/bin/train")))),
                "annotation differs");
        assertEquals(List.of(), selected(Fixtures.withBindMount(
                Fixtures.container().annotations(Map.of("gpu", "yes")).command(List.of("/bin/sh")))),
                "command differs");
    }

    @Test
    void hooksAreOrderedByLowerCasedFileNameAcrossDirectories() {
        Path first = tmp.resolve("first");
        Path second = tmp.resolve("second");
        Fixtures.writeHook(first, "02-another-hook.json", Fixtures.hook(hookBin, Fixtures.always(), "prestart"));
        Fixtures.writeHook(second, "01-UPPERCASE.json", Fixtures.hook(hookBin, Fixtures.always(), "prestart"));
        Fixtures.writeHook(first, "01-my-hook.json", Fixtures.hook(hookBin, Fixtures.always(), "prestart"));
        Fixtures.writeHook(second, "10-last.json", Fixtures.hook(hookBin, Fixtures.always(), "prestart", "poststop"));
        Fixtures.writeHook(second, "00-first.json", Fixtures.hook(hookBin, Fixtures.always(), "poststop", "prestart"));
        Fixtures.write(first, "README", "not a hook: no .json suffix");

        HookSet set = hooksFor(Fixtures.container().build(), first, second);
        List<String> order = new ArrayList<>();
        for (SpecHook h : set.specHooks()) {
            order.add(Path.of(h.source()).getFileName().toString());
        }
        // oci-hooks(5): "01-my-hook.json" before "02-another-hook.json" and "01-UPPERCASE.json".
        assertEquals(List.of("00-first.json", "01-my-hook.json", "01-UPPERCASE.json", "02-another-hook.json", "10-last.json"), order);
        List<String> post = new ArrayList<>();
        for (InProcessHook h : set.inProcess()) {
            post.add(Path.of(h.name()).getFileName().toString());
        }
        assertEquals(List.of("00-first.json", "10-last.json"), post);
    }

    @Test
    void aFileInALaterDirectoryMasksTheSameNameInAnEarlierOne() {
        Path usr = tmp.resolve("usr-share");
        Path etc = tmp.resolve("etc");
        Path vendor = Fixtures.script(tmp.resolve("bin"), "vendor-hook", "true");
        Path admin = Fixtures.script(tmp.resolve("bin"), "admin-hook", "true");
        Fixtures.writeHook(usr, "50-x.json", Fixtures.hook(vendor, Fixtures.always(), "prestart", "poststop"));
        Fixtures.writeHook(usr, "60-vendor-only.json", Fixtures.hook(vendor, Fixtures.always(), "prestart"));
        Path override = Fixtures.writeHook(etc, "50-x.json", Fixtures.hook(admin, Fixtures.always(), "createRuntime"));

        HookSet set = hooksFor(Fixtures.container().build(), usr, etc);
        assertEquals(List.of(
                new SpecHook(HookStage.PRESTART, vendor.toString(), List.of(), List.of(), 0, usr.resolve("60-vendor-only.json").toString()),
                new SpecHook(HookStage.CREATE_RUNTIME, admin.toString(), List.of(), List.of(), 0, override.toString())),
                set.specHooks());
        assertTrue(set.inProcess().isEmpty(), "the masked file's poststop is gone too");

        // The other way round, /usr/share wins.
        HookSet reversed = hooksFor(Fixtures.container().build(), etc, usr);
        assertEquals(2, reversed.specHooks().size());
        assertEquals(vendor.toString(), reversed.specHooks().get(0).path());
        assertEquals(usr.resolve("50-x.json").toString(), reversed.specHooks().get(0).source());
        assertEquals(1, reversed.inProcess().size());
    }

    @Test
    void missingDirectoriesAreNoErrorAndNoDirectoriesMeansTheDefaults() {
        assertEquals(HookSet.EMPTY, hooksFor(Fixtures.container().build(), tmp.resolve("absent")));
        assertEquals(List.of(Path.of("/usr/share/containers/oci/hooks.d"), Path.of("/etc/containers/oci/hooks.d")),
                HookCatalog.effectiveDirs(List.of()));
        assertEquals(List.of(dir), HookCatalog.effectiveDirs(List.of(dir)));
    }

    @Test
    void serviceLoaderFindsTheProviderAsOciHooks() {
        List<String> problems = new ArrayList<>();
        List<HookProvider> found = PluginRegistry.boot(problems::add).providers(HookProvider.class);
        assertEquals(List.of(), problems);
        assertEquals(1, found.size(), "providers: " + found);
        assertEquals("oci-hooks", found.get(0).id());
        assertTrue(found.get(0) instanceof OciHooksProvider);
    }
}
