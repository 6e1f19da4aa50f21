package berth.hooks.oci;

import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.support.FileTrees;
import berth.testsupport.Fuzz;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hostile OCI hook files (seeded JUnit loops on {@link berth.testsupport.Fuzz}): random bytes and mutations of a valid hook document, dropped into a
 * hooks directory beside a valid one. Loading the catalog either takes the file or reports it (a
 * {@link HookProblem} naming it) and skips it, the valid file still loads, and selecting hooks for a
 * container works — never an uncaught exception, never a hang.
 *
 * <p>CI runs a fixed seed and the tries below (a few seconds); {@code -Dberth.fuzz.factor=100} or
 * {@code -Dberth.fuzz.seed=random} run longer or elsewhere (see {@link Fuzz}).
 */
class HookFileFuzzTest {
    private static Path tmp;
    private static Path dir;
    private static String valid;

    @BeforeAll
    static void setUp() throws IOException {
        tmp = Files.createTempDirectory("berth-fuzz-hooks");
        Path bin = Fixtures.script(tmp.resolve("bin"), "hook", "true");
        dir = tmp.resolve("hooks.d");
        Fixtures.writeHook(dir, "00-good.json", Fixtures.hook(bin, Fixtures.always(), "prestart"));
        var doc = Fixtures.hook(bin, new java.util.LinkedHashMap<>(java.util.Map.of("annotations", java.util.Map.of("^io\\.x$", "on.*"),
                "commands", List.of(".*/sh$"), "hasBindMounts", true)), "prestart", "poststop");
        Fixtures.hookObject(doc).put("args", List.of("hook", "--flag"));
        Fixtures.hookObject(doc).put("env", List.of("A=1"));
        Fixtures.hookObject(doc).put("timeout", 5);
        valid = berth.kernel.json.Json.write(doc, true);
    }

    @AfterAll
    static void tearDown() {
        FileTrees.delete(tmp);
    }

    static void check(byte[] content) throws IOException {
        Path f = dir.resolve("fuzz.json");
        Files.write(f, content);
        Fuzz.within(Duration.ofSeconds(10), () -> {
            HookCatalog.Loaded loaded = HookCatalog.load(List.of(dir));
            List<String> files = new ArrayList<>();
            loaded.hooks().forEach(h -> files.add(h.toString()));
            boolean reported = loaded.problems().stream().anyMatch(p -> f.equals(p.file()) && p.toString().contains(f.toString()));
            assertTrue(loaded.hooks().size() == (reported ? 1 : 2), "the file is neither loaded nor reported: " + loaded);
            List<String> warnings = new ArrayList<>();
            HookSelection.select(Fixtures.context(Fixtures.withBindMount(Fixtures.container()), dir), warnings::add);
            return null;
        });
    }

    @Test
    void theValidFileLoads() throws IOException {
        check(valid.getBytes(StandardCharsets.UTF_8));
        assertTrue(HookCatalog.load(List.of(dir)).problems().isEmpty());
    }

    @Test
    void randomBytes() {
        Fuzz.forAll(500, g -> g.bytes(300), HookFileFuzzTest::check);
    }

    /** The valid document with JSON pieces, wrong types, bad regexes and odd paths put in, cut out or truncated. */
    @Test
    void mutatedHookFile() {
        String[] hostile = {"{", "}", "[", "]", "\"", ":", ",", "null", "1", "-1", "1e999", "9223372036854775807", "true",
            "[]", "{}", "\"\"", "\"(\"", "\"[\"", "\"*\"", "\"\\\\\"", "\"a{99999}\"", "\"(?<n>x)\"", "\"\\\\p{Foo}\"",
            "\"stages\": [1]", "\"stages\": []", "\"stages\": [\"nope\"]", "\"version\": \"2.0.0\"", "\"version\": 1",
            "\"path\": \"\"", "\"path\": \"relative\"", "\"path\": \"/\\u0000\"", "\"timeout\": -5", "\"timeout\": 1.5",
            "\"timeout\": \"x\"", "\"when\": []", "\"always\": \"yes\"", "\"annotations\": []", "\"commands\": {}",
            "\"hook\": []", "\"args\": [1]", "\"env\": \"A\"", "\\u0000", "é", "\uFEFF"};
        Fuzz.forAll(1500, g -> g.mutate(valid, g.intIn(1, 4), 12, hostile), doc -> check(doc.getBytes(StandardCharsets.UTF_8)));
    }
}
