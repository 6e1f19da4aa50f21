package berth.support.toml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import berth.testsupport.Fuzz;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Our reader against jackson-dataformat-toml (the parser berth used before, kept as a test
 * dependency only): on the configuration files of this machine and of the repository, on every
 * document of {@link TomlCorpus}, and on seeded random documents and mutations of them, both must
 * read the same tree (as plain maps, lists, strings, longs, doubles, booleans) or both must refuse.
 * Where jackson 2.21 departs from TOML v1.0, {@link #JACKSON_IS_WRONG} lists the documents and the
 * test checks that the departure is still the one described.
 */
class TomlDifferentialTest {
    /** Files podman's packages install here; the test fails when one is missing, so the check never goes hollow. */
    private static final List<Path> REQUIRED = List.of(Path.of("/usr/share/containers/containers.conf"),
            Path.of("/etc/containers/registries.conf"), Path.of("/etc/containers/registries.conf.d/shortnames.conf"));
    /** Read when present: other hosts (and later packages) have them. */
    private static final List<Path> OPTIONAL = List.of(Path.of("/etc/containers/containers.conf"), Path.of("/etc/containers/libpod.conf"),
            Path.of("/etc/containers/storage.conf"), Path.of("/usr/share/containers/storage.conf"),
            Path.of("/usr/share/containers/registries.conf"), Path.of("/etc/containers/mounts.conf"));

    /**
     * Documents where jackson-dataformat-toml 2.21.4 does not follow TOML v1.0 (ours does), with what
     * it does instead. A test below checks each, so a jackson upgrade that fixes one shows here.
     */
    static final Map<String, String> JACKSON_IS_WRONG = Map.ofEntries(
            Map.entry("a = 9223372036854775807", "reads 6854775807: a 19-digit integer loses its leading digits"),
            Map.entry("a = -9223372036854775808", "reads -6854775808: a 19-digit integer loses its leading digits"),
            Map.entry("a = 99999999999999999999", "accepts an integer beyond 64 bits (TOML: must be an error)"),
            Map.entry("a = 0x7FFFFFFFFFFFFFFFFF", "accepts an integer beyond 64 bits (TOML: must be an error)"),
            Map.entry("a = 1e999", "accepts a float beyond binary64 (TOML: floats are IEEE 754 binary64)"),
            Map.entry("a = \"\\uD800\"", "accepts an escaped surrogate, which is no Unicode scalar value, as '?'"),
            Map.entry("a = 1979-05-27t07:32:00z", "refuses RFC 3339's lower-case t and z"),
            Map.entry("[a.b.c]\nz = 9\n[a]\nb.c.t = 1", "accepts dotted keys that add to a table a header defined (toml-test: invalid)"),
            Map.entry("a = 1979-13-27", "accepts a date out of range (month 13)"),
            Map.entry("a = 1979-02-30", "accepts a date out of range (February 30)"),
            Map.entry("a = 1979-05-27T25:00:00", "accepts a time out of range (hour 25)"),
            Map.entry("a = 07:61:00", "accepts a time out of range (minute 61)"));

    @Test
    void theRequiredFilesAreHereAndReadTheSame() throws IOException {
        for (Path p : REQUIRED) {
            assertTrue(Files.isRegularFile(p), p + " is missing: install podman and containers-common (setup-host)");
            sameTree(Files.readString(p), p.toString(), true);
        }
        for (Path p : OPTIONAL) {
            if (Files.isRegularFile(p)) {
                sameTree(Files.readString(p), p.toString(), true);
            }
        }
    }

    @Test
    void theRepositorysConfigurationFilesReadTheSame() throws IOException {
        Path top = Path.of("").toAbsolutePath();
        while (top != null && !Files.exists(top.resolve(".git"))) {
            top = top.getParent();
        }
        assertNotNull(top, "not inside the repository: " + Path.of("").toAbsolutePath());
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.walk(top)) {
            s.filter(p -> !p.toString().contains("/target/") && !p.toString().contains("/.git/"))
                    .filter(p -> p.toString().endsWith(".conf") || p.toString().endsWith(".toml")).forEach(files::add);
        }
        assertTrue(files.stream().anyMatch(p -> p.endsWith("distribution/src/share/podman-host.conf")), "found: " + files);
        for (Path p : files) {
            sameTree(Files.readString(p), p.toString(), true);
        }
    }

    @Test
    void everyValidCaseReadsTheSame() {
        for (String doc : TomlCorpus.VALID) {
            sameTree(doc, "valid case", true);
        }
    }

    @Test
    void everyInvalidCaseIsRefusedByBoth() {
        for (String doc : TomlCorpus.INVALID) {
            sameTree(doc, "invalid case", false);
        }
        sameTree(TomlCorpus.deep(), "deep nesting", false);
    }

    @Test
    void jacksonsDeparturesAreStillTheOnesWeKnow() {
        JACKSON_IS_WRONG.forEach((doc, what) -> {
            Object ours = ours(doc);
            Object theirs = jackson(doc);
            if (what.startsWith("refuses")) {
                assertInstanceOf(Map.class, ours, doc);
                assertInstanceOf(IOException.class, theirs, doc + ": jackson " + what);
            } else if (what.startsWith("reads")) {
                assertInstanceOf(Map.class, ours, doc);
                assertInstanceOf(Map.class, theirs, doc);
                assertTrue(!ours.equals(theirs), doc + ": jackson no longer " + what);
            } else {
                assertInstanceOf(TomlException.class, ours, doc);
                assertInstanceOf(Map.class, theirs, doc + ": jackson no longer " + what);
            }
        });
    }

    /** Random documents of every feature: both read the same tree. */
    @Test
    void randomDocumentsReadTheSame() {
        Fuzz.forAll(3000, g -> new TomlGen(g).document(), doc -> Fuzz.within(Duration.ofSeconds(10), () -> {
            sameTree(doc, "random document", true);
            return null;
        }));
    }

    /** Random documents with random edits, valid or not: both accept and agree, or both refuse. */
    @Test
    void mutatedDocumentsAgree() {
        String[] pieces = {"[", "]", "[[", "]]", "=", "\"", "'", "'''", "\"\"\"", "\n", "\r\n", "\r", "#", ",", ".", "{", "}", "\\",
            "\\n", "\\u00e9", "\\U0001F600", " ", "\t", "-", "+", "_", "0", "1", "e", "x", "a", "true", "inf", "nan", "1979-05-27",
            "07:32:00", "T", "Z", "\u0000", "\u0001", "\u007f", "é", "a.b", "[a]", "[[a]]", "a = 1"};
        Fuzz.forAll(5000, g -> g.mutate(new TomlGen(g).document(), g.intIn(1, 3), 6, pieces),
                doc -> Fuzz.within(Duration.ofSeconds(10), () -> {
                    sameTree(doc, "mutated document", null);
                    return null;
                }));
    }

    /**
     * Both readers on {@code doc}: the same tree, or both refuse (ours with a TomlException, never
     * another exception). {@code valid}: what the document must be, or null when either is fine.
     */
    static void sameTree(String doc, String what, Boolean valid) {
        Object ours = ours(doc);
        Object theirs = jackson(doc);
        String shown = what + " " + Fuzz.show(doc);
        if (ours instanceof TomlException e) {
            assertTrue(theirs instanceof IOException || valid == null && jacksonAccepts(e.reason()),
                    shown + ": ours refuses (" + e.getMessage() + "), jackson reads " + theirs);
            assertTrue(valid == null || !valid, shown + ": refused: " + e.getMessage());
            assertTrue(e.line() >= 1 && e.column() >= 1 && !e.reason().isEmpty(), e.getMessage());
            return;
        }
        if (theirs instanceof IOException e) {
            if (valid == null && Fuzz.show(doc).matches("(?s).*\\d\\d[tT ]\\d\\d:\\d\\d:\\d\\d.*") && doc.matches("(?s).*\\d[tz].*")) {
                return; // a lower-case t or z in a date-time, which jackson refuses
            }
            fail(shown + ": jackson refuses (" + e.getMessage() + "), ours reads " + ours);
        }
        assertTrue(valid == null || valid, shown + ": both read it: " + ours);
        assertEquals(theirs, ours, shown);
    }

    /**
     * Whether our refusal is one of {@link #JACKSON_IS_WRONG}'s kinds, which jackson accepts: a mutation
     * makes them now and then (a digit more in a month, an integer grown past 64 bits).
     */
    private static boolean jacksonAccepts(String reason) {
        return reason.startsWith("invalid date ") || reason.startsWith("invalid time in ") || reason.contains("out of the 64-bit range")
                || reason.contains("is not a Unicode scalar value") || reason.contains("which is defined elsewhere");
    }

    /** Our tree with doubles made comparable, or the TomlException. */
    static Object ours(String doc) {
        try {
            return canonical(Toml.parse(doc, "doc"));
        } catch (TomlException e) {
            return e;
        }
    }

    /** jackson's tree as plain values, or the IOException it threw. */
    static Object jackson(String doc) {
        try {
            JsonNode n = new TomlMapper().readTree(doc);
            return n == null ? Map.of() : plain(n);
        } catch (IOException e) {
            return e;
        }
    }

    private static Object canonical(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put((String) k, canonical(x)));
            return out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(x -> out.add(canonical(x)));
            return out;
        }
        if (v instanceof Double d && d == 0) {
            return 0.0; // jackson keeps no negative zero
        }
        return v;
    }

    private static Object plain(JsonNode n) {
        if (n.isObject()) {
            Map<String, Object> out = new LinkedHashMap<>();
            n.fields().forEachRemaining(e -> out.put(e.getKey(), plain(e.getValue())));
            return out;
        }
        if (n.isArray()) {
            List<Object> out = new ArrayList<>();
            n.forEach(x -> out.add(plain(x)));
            return out;
        }
        if (n.isTextual()) {
            return n.textValue();
        }
        if (n.isBoolean()) {
            return n.booleanValue();
        }
        if (n.isIntegralNumber()) {
            BigInteger b = n.bigIntegerValue();
            return b.bitLength() < 64 ? (Object) b.longValue() : b;
        }
        if (n.isNumber()) {
            double d = n.doubleValue();
            return d == 0 ? 0.0 : d;
        }
        throw new AssertionError("unexpected jackson node " + n.getNodeType() + ": " + n);
    }
}
