package berth.hooks.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.kernel.spi.hook.HookSet;
import berth.kernel.spi.hook.SpecHook;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each kind of invalid hook file is reported, naming the file and the field, and skipped, while the
 * valid files beside it still load.
 */
class ValidationTest {
    @TempDir
    Path tmp;
    Path hookBin;
    Path dir;

    @BeforeEach
    void setUp() {
        hookBin = Fixtures.script(tmp.resolve("bin"), "hook", "true");
        dir = tmp.resolve("hooks.d");
        Fixtures.writeHook(dir, "00-good.json", Fixtures.hook(hookBin, Fixtures.always(), "prestart"));
        Fixtures.writeHook(dir, "zz-good.json", Fixtures.hook(hookBin, Fixtures.always(), "poststart"));
    }

    /** Loads {@link #dir}, checks both good files survived, and returns the problems. */
    private List<HookProblem> load() {
        HookCatalog.Loaded loaded = HookCatalog.load(List.of(dir));
        List<String> names = new ArrayList<>();
        for (HookDefinition d : loaded.hooks()) {
            names.add(d.fileName());
        }
        assertEquals(List.of("00-good.json", "zz-good.json"), names, "the valid files still load");
        return loaded.problems();
    }

    /** Writes {@code doc} as {@code name}, loads, and checks exactly one problem, on that file and field. */
    private HookProblem onlyProblem(String name, String text, String field) {
        Path file = Fixtures.write(dir, name, text);
        List<HookProblem> problems = load();
        assertEquals(1, problems.size(), "problems: " + problems);
        HookProblem p = problems.get(0);
        assertEquals(file, p.file());
        assertEquals(field, p.field(), p.toString());
        assertTrue(p.toString().startsWith("hook file " + file + ": " + (field == null ? "" : field + ": ")), p.toString());
        return p;
    }

    private String json(Map<String, Object> doc) {
        return berth.kernel.json.Json.write(doc, true);
    }

    private Map<String, Object> good() {
        return Fixtures.hook(hookBin, Fixtures.always(), "prestart");
    }

    @Test
    void malformedJson() {
        HookProblem p = onlyProblem("bad.json", "{\"version\": \"1.0.0\", \"hook\": {\"path\": ", null);
        assertTrue(p.message().startsWith("malformed JSON"), p.message());
        onlyProblem("bad.json", "[\"not\", \"an object\"]", null);
    }

    @Test
    void unknownVersion() {
        Map<String, Object> doc = good();
        doc.put("version", "2.0.0");
        HookProblem p = onlyProblem("v2.json", json(doc), "version");
        assertTrue(p.message().contains("\"2.0.0\""), p.message());

        doc.remove("version");
        onlyProblem("v2.json", json(doc), "version");
    }

    @Test
    void regexThatDoesNotCompile() {
        HookProblem p = onlyProblem("cmd.json", json(Fixtures.hook(hookBin, Map.of("commands", List.of("^/bin/sh$", "(unclosed")),
                "prestart")), "when.commands[1]");
        assertTrue(p.message().contains("\"(unclosed\" does not compile"), p.message());

        p = onlyProblem("cmd.json", json(Fixtures.hook(hookBin, Map.of("annotations", Map.of("[a-", ".*")), "prestart")),
                "when.annotations[\"[a-\"]");
        assertTrue(p.message().contains("key regex"), p.message());
        p = onlyProblem("cmd.json", json(Fixtures.hook(hookBin, Map.of("annotations", Map.of("^ok$", "a**")), "prestart")),
                "when.annotations[\"^ok$\"]");
        assertTrue(p.message().contains("value regex \"a**\""), p.message());
    }

    @Test
    void hookPathThatDoesNotExistIsRelativeOrMissing() {
        Map<String, Object> doc = good();
        Fixtures.hookObject(doc).put("path", tmp.resolve("no-such-hook").toString());
        HookProblem p = onlyProblem("path.json", json(doc), "hook.path");
        assertTrue(p.message().contains("does not exist"), p.message());

        Fixtures.hookObject(doc).put("path", "bin/hook");
        p = onlyProblem("path.json", json(doc), "hook.path");
        assertTrue(p.message().contains("not an absolute path"), p.message());

        Fixtures.hookObject(doc).remove("path");
        onlyProblem("path.json", json(doc), "hook.path");

        doc.remove("hook");
        onlyProblem("path.json", json(doc), "hook");
    }

    @Test
    void hookPathThatIsNotExecutable() throws Exception {
        Path plain = Fixtures.write(tmp, "plain", "#!/bin/sh\n");
        Map<String, Object> doc = good();
        Fixtures.hookObject(doc).put("path", plain.toString());
        HookProblem p = onlyProblem("exec.json", json(doc), "hook.path");
        assertTrue(p.message().contains("not executable"), p.message());
    }

    @Test
    void unknownStageAndNoStages() {
        HookProblem p = onlyProblem("stage.json", json(Fixtures.hook(hookBin, Fixtures.always(), "prestart", "precreate")), "stages[1]");
        assertTrue(p.message().contains("unknown stage \"precreate\""), p.message());

        onlyProblem("stage.json", json(Fixtures.hook(hookBin, Fixtures.always())), "stages");
        Map<String, Object> doc = good();
        doc.remove("stages");
        onlyProblem("stage.json", json(doc), "stages");
    }

    @Test
    void badWhen() {
        onlyProblem("when.json", json(Fixtures.hook(hookBin, Map.of(), "prestart")), "when");
        onlyProblem("when.json", json(Fixtures.hook(hookBin, Map.of("always", "yes"), "prestart")), "when.always");
        HookProblem p = onlyProblem("when.json", json(Fixtures.hook(hookBin, Map.of("always", true, "annotation", Map.of()), "prestart")),
                "when.annotation");
        assertTrue(p.message().contains("unknown condition"), p.message());
        Map<String, Object> doc = good();
        doc.remove("when");
        onlyProblem("when.json", json(doc), "when");
    }

    @Test
    void badArgsEnvAndTimeout() {
        Map<String, Object> doc = good();
        Fixtures.hookObject(doc).put("timeout", 0);
        onlyProblem("t.json", json(doc), "hook.timeout");
        Fixtures.hookObject(doc).put("timeout", 1.5);
        onlyProblem("t.json", json(doc), "hook.timeout");
        Fixtures.hookObject(doc).remove("timeout");
        Fixtures.hookObject(doc).put("env", List.of("OK=1", "NOEQUALS"));
        onlyProblem("t.json", json(doc), "hook.env[1]");
        Fixtures.hookObject(doc).remove("env");
        Fixtures.hookObject(doc).put("args", List.of("hook", 3));
        onlyProblem("t.json", json(doc), "hook.args");
    }

    @Test
    void everyProblemOfAFileIsReported() {
        Map<String, Object> when = new LinkedHashMap<>();
        when.put("commands", List.of("("));
        Map<String, Object> doc = Fixtures.hook(tmp.resolve("missing"), when, "nope");
        Path file = Fixtures.write(dir, "many.json", json(doc));
        List<String> fields = new ArrayList<>();
        for (HookProblem p : load()) {
            assertEquals(file, p.file());
            fields.add(p.field());
        }
        assertEquals(List.of("hook.path", "when.commands[0]", "stages[0]"), fields);
    }

    @Test
    void anInvalidFileDoesNotMaskAValidOneOfTheSameNameInAnEarlierDirectory() {
        Path later = tmp.resolve("later");
        Path broken = Fixtures.write(later, "00-good.json", "{ not json");
        HookCatalog.Loaded loaded = HookCatalog.load(List.of(dir, later));
        assertEquals(2, loaded.hooks().size());
        assertEquals(dir.resolve("00-good.json"), loaded.hooks().get(0).source());
        assertEquals(1, loaded.problems().size());
        assertEquals(broken, loaded.problems().get(0).file());
    }

    @Test
    void aHooksDirectoryThatIsAFileIsReported() {
        Path notADir = Fixtures.write(tmp, "hooks-file", "");
        HookCatalog.Loaded loaded = HookCatalog.load(List.of(notADir, dir));
        assertEquals(2, loaded.hooks().size());
        assertEquals(List.of("hooks directory " + notADir + ": not a directory; skipped"),
                loaded.problems().stream().map(HookProblem::toString).toList());
    }

    @Test
    void theProviderReportsProblemsToItsWarningSinkAndStillReturnsTheValidHooks() {
        Map<String, Object> doc = good();
        Fixtures.hookObject(doc).put("path", "/no/such/hook");
        Path bad = Fixtures.writeHook(dir, "50-bad.json", doc);
        Path malformed = Fixtures.write(dir, "60-malformed.json", "{");
        List<String> warnings = new ArrayList<>();
        Consumer<String> sink = warnings::add;
        HookSet set = new OciHooksProvider(sink).hooksFor(Fixtures.context(Fixtures.container().build(), dir));

        List<String> sources = new ArrayList<>();
        for (SpecHook h : set.specHooks()) {
            sources.add(h.source());
        }
        assertEquals(List.of(dir.resolve("00-good.json").toString(), dir.resolve("zz-good.json").toString()), sources);
        assertEquals(2, warnings.size(), "warnings: " + warnings);
        assertEquals("hook file " + bad + ": hook.path: \"/no/such/hook\" does not exist; skipped", warnings.get(0));
        assertTrue(warnings.get(1).startsWith("hook file " + malformed + ": malformed JSON"), warnings.get(1));
        assertEquals(warnings, set.warnings(), "the set carries the same reports");
    }

    @Test
    void theServiceLoaderProviderReturnsProblemsInTheHookSet() {
        Path malformed = Fixtures.write(dir, "60-malformed.json", "{");
        HookSet set = new OciHooksProvider().hooksFor(Fixtures.context(Fixtures.container().build(), dir));

        assertEquals(2, set.specHooks().size(), "the valid files still load");
        assertEquals(1, set.warnings().size(), "warnings: " + set.warnings());
        assertTrue(set.warnings().get(0).startsWith("hook file " + malformed + ": malformed JSON"), set.warnings().get(0));
    }
}
