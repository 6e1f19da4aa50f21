package berth.support.toml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.testsupport.Fuzz;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Our reader's values and errors, feature by feature (jackson's agreement is TomlDifferentialTest's job). */
class TomlTest {
    private static Map<String, Object> parse(String doc) throws TomlException {
        return Toml.parse(doc, "t.toml");
    }

    private static Object value(String doc) throws TomlException {
        return parse("v = " + doc).get("v");
    }

    private static TomlException refused(String doc) {
        return assertThrows(TomlException.class, () -> parse(doc), doc);
    }

    @Test
    void containersConfAsBenchmarksWriteIt() throws TomlException {
        Map<String, Object> t = parse("[containers]\ndefault_ulimits = [\"nofile=20000:20000\", \"nproc=32768:32768\"]\n");
        assertEquals(Map.of("containers", Map.of("default_ulimits", List.of("nofile=20000:20000", "nproc=32768:32768"))), t);
    }

    @Test
    void tablesDottedKeysAndArraysOfTables() throws TomlException {
        Map<String, Object> t = parse("""
                top = 1
                a.b."c.d" = 'x'
                [engine.runtimes]
                crun = ["/usr/bin/crun"]
                [[registry]]
                prefix = "x.io"
                [[registry.mirror]]
                location = "m1.io"
                [[registry.mirror]]
                location = "m2.io"
                [[registry]]
                prefix = "y.io"
                """);
        assertEquals(1L, t.get("top"));
        assertEquals(Map.of("b", Map.of("c.d", "x")), t.get("a"));
        assertEquals(Map.of("runtimes", Map.of("crun", List.of("/usr/bin/crun"))), t.get("engine"));
        assertEquals(List.of(Map.of("prefix", "x.io", "mirror", List.of(Map.of("location", "m1.io"), Map.of("location", "m2.io"))),
                Map.of("prefix", "y.io")), t.get("registry"));
        assertEquals(List.of("top", "a", "engine", "registry"), List.copyOf(t.keySet()), "the file's order");
        assertThrows(UnsupportedOperationException.class, () -> t.put("x", 1), "immutable");
    }

    @Test
    void strings() throws TomlException {
        assertEquals("\b\t\n\f\r\"\\", value("\"\\b\\t\\n\\f\\r\\\"\\\\\""));
        assertEquals("Aé€😀", value("\"\\u0041\\u00e9\\u20AC\\U0001F600\""));
        assertEquals("C:\\x\\y", value("'C:\\x\\y'"));
        assertEquals("one\ntwo", value("\"\"\"\none\ntwo\"\"\""));
        assertEquals("The quick brown fox.", value("\"\"\"The quick \\\n\n   brown \\   \n  fox.\"\"\""));
        assertEquals("two \"\" quotes\"\"", value("\"\"\"two \"\" quotes\"\"\"\"\""));
        assertEquals("raw \\n\nline", value("'''\nraw \\n\nline'''"));
        assertEquals("crlf\r\nkept", value("\"\"\"crlf\r\nkept\"\"\""));
    }

    @Test
    void numbersBooleansAndDates() throws TomlException {
        assertEquals(1000L, value("1_000"));
        assertEquals(-17L, value("-17"));
        assertEquals(0xDEADBEEFL, value("0xdead_BEEF"));
        assertEquals(493L, value("0o755"));
        assertEquals(214L, value("0b11010110"));
        assertEquals(Long.MAX_VALUE, value("9223372036854775807"));
        assertEquals(Long.MIN_VALUE, value("-9223372036854775808"));
        assertEquals(5e22, value("5e+22"));
        assertEquals(-0.01, value("-0.01"));
        assertEquals(224617.445991228, value("224_617.445_991_228"));
        assertEquals(Double.NEGATIVE_INFINITY, value("-inf"));
        assertTrue(((Double) value("nan")).isNaN());
        assertEquals(Boolean.TRUE, value("true"));
        assertEquals("1979-05-27T07:32:00Z", value("1979-05-27 07:32:00Z"));
        assertEquals("1979-05-27t07:32:00.5-07:00", value("1979-05-27t07:32:00.5-07:00"));
        assertEquals("2000-02-29", value("2000-02-29"));
        assertEquals("07:32:00", value("07:32:00"));
    }

    @Test
    void arraysAndInlineTables() throws TomlException {
        assertEquals(List.of(1L, "a", List.of(2L), Map.of("x", 1L)), value("[\n  1, # one\n  'a',\n  [2], {x = 1},\n]"));
        assertEquals(Map.of("a", Map.of("b", 1L), "c", List.of()), value("{ a.b = 1, c = [] }"));
    }

    @Test
    void errorsNameTheFileTheLineAndTheColumn() {
        TomlException e = refused("[engine]\nruntime = \"crun\"\ndatabase_backend = = \"file\"\n");
        assertEquals("t.toml", e.source());
        assertEquals(3, e.line());
        assertEquals(20, e.column());
        assertTrue(e.getMessage().startsWith("t.toml line 3, column 20: expected a value"), e.getMessage());
        assertEquals(2, refused("a = 1\na = 2").line());
        assertTrue(refused("a = 1\na = 2").reason().contains("duplicate key a"));
        assertTrue(refused("[a]\n[a]").reason().contains("defined twice"));
        assertTrue(refused("a = 9223372036854775808").reason().contains("64-bit"));
        assertTrue(refused("a = \"\\uD800\"").reason().contains("Unicode scalar value"));
        assertTrue(refused("a = 1979-02-29").reason().contains("invalid date"));
        assertTrue(refused("a = {b = 1}\n[a.c]").reason().contains("inline table"));
        assertTrue(refused("a = 0x").reason().contains("invalid value"));
        assertTrue(refused("a = " + "[".repeat(5000)).reason().contains("nest deeper"));
    }

    @Test
    void everyCorpusCase() {
        for (String doc : TomlCorpus.VALID) {
            try {
                parse(doc);
            } catch (TomlException e) {
                throw new AssertionError(Fuzz.show(doc) + ": " + e.getMessage(), e);
            }
        }
        for (String doc : TomlCorpus.INVALID) {
            refused(doc);
        }
    }

    @Test
    void readRefusesInvalidUtf8NamingTheLine(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("c.conf");
        Files.write(f, new byte[] {'a', '=', '1', '\n', 'b', '=', '"', (byte) 0xff, '"', '\n'});
        TomlException e = assertThrows(TomlException.class, () -> Toml.read(f));
        assertEquals(f.toString(), e.source());
        assertEquals(2, e.line());
        assertTrue(e.reason().contains("UTF-8"), e.reason());
    }

    /** Any text: a document or a TomlException, never another exception or a hang. */
    @Test
    void anyTextReadsOrFailsCleanly() {
        Fuzz.forAll(3000, g -> g.bool() ? g.string(200) : g.string("[]{}=\"'#.,\n \\u0-1e:xtrfalsn_+", 0, 120),
                doc -> Fuzz.within(Duration.ofSeconds(5), () -> {
                    try {
                        return parse(doc);
                    } catch (TomlException e) {
                        assertTrue(e.line() >= 1 && e.column() >= 1, e.getMessage());
                        return null;
                    }
                }));
    }

    /** Any bytes in a file: the same, through the UTF-8 check. */
    @Test
    void anyBytesReadOrFailCleanly(@TempDir Path dir) {
        Path f = dir.resolve("f.toml");
        Fuzz.forAll(1000, g -> g.bytes(200), bytes -> {
            Files.write(f, bytes);
            try {
                Toml.read(f);
            } catch (TomlException e) {
                assertEquals(f.toString(), e.source());
            }
        });
    }
}
