package berth.kernel.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import berth.kernel.json.Json.MalformedJsonException;
import berth.testsupport.Fuzz;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Hostile input for the kernel's JSON reader (seeded JUnit loops on {@link Fuzz}): random bytes, near-JSON mutations of valid
 * documents, deep nesting, huge numbers, bad UTF-8 and unterminated strings. Every input either
 * parses or fails with {@link MalformedJsonException} naming where — never another exception, a
 * {@link StackOverflowError} or a hang (each try has a time limit).
 *
 * <p>Tries per property are set for CI (the whole class runs in a few seconds) with a fixed seed;
 * {@code -Dberth.fuzz.factor=100} runs a hundred times longer and {@code -Dberth.fuzz.seed=random}
 * explores new inputs (see {@link Fuzz}). Inputs that ever failed live in {@link JsonReaderCorpusTest}.
 */
class JsonReaderFuzzTest {
    private static final Duration LIMIT = Duration.ofSeconds(10);
    /** The error names its place: a line and column, or a byte offset for bad UTF-8. */
    private static final Pattern POSITION = Pattern.compile(".*(at line \\d+, column \\d+|at byte \\d+).*", Pattern.DOTALL);

    /** Parses, or fails only with the reader's own error naming the position. */
    static Object parseOrMalformed(byte[] input) {
        return Fuzz.within(LIMIT, () -> {
            try {
                return Json.parse(input);
            } catch (MalformedJsonException e) {
                assertNamesPosition(e);
                return e;
            }
        });
    }

    static void assertNamesPosition(MalformedJsonException e) {
        String m = e.getMessage();
        assertTrue(m.equals("empty document") || POSITION.matcher(m).matches(), "error names no position: " + m);
    }

    /** The input as a Java string literal: control characters and lone surrogates escaped. */
    static String show(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
                b.append(c);
            } else {
                b.append(String.format("\\u%04x", (int) c));
            }
        }
        return b.append('"').toString();
    }

    static final String JSONISH = "{}[]\",:.-+eE0123456789 \t\n\\/utrfalsenbé\u20ac\uD83D\uDE00\u0000\u001f";

    static String jsonish(Fuzz.Gen g) {
        return g.string(JSONISH, 0, 60);
    }

    @Test
    void randomBytes() {
        Fuzz.forAll(3000, g -> g.bytes(200), JsonReaderFuzzTest::parseOrMalformed);
    }

    @Test
    void randomBytesFromJsonAlphabet() {
        Fuzz.forAll(3000, JsonReaderFuzzTest::jsonish, input -> parseOrMalformed(input.getBytes(StandardCharsets.UTF_8)));
    }

    /** A valid document with a few bytes changed, inserted, deleted or cut: the same verdict as jackson's. */
    @Test
    void mutatedValidDocumentsAgreeWithJackson() {
        Fuzz.forAll(3000, g -> {
            Random random = g.random();
            int edits = g.intIn(1, 4);
            String text = Json.write(RandomJson.value(random, 0), random.nextBoolean());
            StringBuilder b = new StringBuilder(text);
            String hostile = "{}[]\",:\\0-.eE+ \ntfnu\u0000\u00ff\uD800";
            for (int i = 0; i < edits && b.length() > 0; i++) {
                int at = random.nextInt(b.length());
                switch (random.nextInt(4)) {
                    case 0 -> b.setCharAt(at, hostile.charAt(random.nextInt(hostile.length())));
                    case 1 -> b.insert(at, hostile.charAt(random.nextInt(hostile.length())));
                    case 2 -> b.deleteCharAt(at);
                    default -> b.setLength(at); // truncated
                }
            }
            // as bytes, as both parsers read files: a lone surrogate becomes '?' for both
            return new String(b.toString().getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
        }, doc -> {
            Object mine = parseOrMalformed(doc.getBytes(StandardCharsets.UTF_8));
            int nul = doc.indexOf('\u0000');
            if (nul >= 0 && nul < 4) {
                return; // jackson reads zero bytes at the start as UTF-16 or UTF-32 ("\u00000" is 0 to it): no reference
            }
            Object reference;
            try {
                reference = JsonReaderTest.jackson(doc);
            } catch (IOException e) {
                reference = e;
            }
            if (reference instanceof IOException) {
                assertTrue(mine instanceof MalformedJsonException, "jackson refuses, berth accepts: " + show(doc));
            } else if (mine instanceof MalformedJsonException e) {
                fail("jackson accepts, berth refuses (" + e.getMessage() + "): " + show(doc));
            } else {
                assertEquals(reference, mine, show(doc));
            }
        });
    }

    record Nesting(int depth, boolean objects, boolean closed) {
    }

    /** Arbitrary depth of arrays and objects, closed or not: a clear nesting error, never a stack overflow. */
    @Test
    void deepNesting() {
        Fuzz.forAll(300, g -> new Nesting(g.intIn(1, 200_000), g.bool(), g.bool()), n -> {
            StringBuilder b = new StringBuilder(n.depth() * 6);
            for (int i = 0; i < n.depth(); i++) {
                b.append(n.objects() && i % 2 == 0 ? "{\"k\":" : "[");
            }
            b.append("1");
            if (n.closed()) {
                for (int i = n.depth() - 1; i >= 0; i--) {
                    b.append(n.objects() && i % 2 == 0 ? "}" : "]");
                }
            }
            Object r = parseOrMalformed(b.toString().getBytes(StandardCharsets.UTF_8));
            if (n.depth() > JsonReader.MAX_DEPTH) {
                assertTrue(r instanceof MalformedJsonException e && e.getMessage().contains("nesting"), String.valueOf(r));
            } else {
                assertEquals(n.closed(), !(r instanceof MalformedJsonException), String.valueOf(r));
            }
        });
    }

    record HugeNumber(int digits, int shape, String text) {
    }

    /** Numbers of any length and exponent: a Long, a Double (maybe infinite) or a range error. */
    @Test
    void hugeNumbers() {
        Fuzz.forAll(1000, g -> {
            int digits = g.intIn(1, 100_000);
            boolean negative = g.bool();
            int shape = g.intIn(0, 3);
            Random random = g.random();
            StringBuilder b = new StringBuilder(digits + 32);
            if (negative) {
                b.append('-');
            }
            b.append((char) ('1' + random.nextInt(9)));
            for (int i = 1; i < digits; i++) {
                b.append((char) ('0' + random.nextInt(10)));
            }
            switch (shape) {
                case 1 -> b.append(".5");
                case 2 -> b.append("e").append(random.nextBoolean() ? "-" : "+").append(Math.abs(random.nextLong()));
                case 3 -> b.append("E").append("9".repeat(1 + random.nextInt(5000)));
                default -> { }
            }
            return new HugeNumber(digits, shape, "[" + b + "]");
        }, n -> {
            Object r = parseOrMalformed(n.text().getBytes(StandardCharsets.UTF_8));
            if (r instanceof MalformedJsonException e) {
                assertTrue(n.shape() == 0 && n.digits() >= 19 && e.getMessage().contains("64-bit"), e.getMessage());
            }
        });
    }

    record Unterminated(String body, String doc) {
    }

    /** Strings cut anywhere, with escapes and multi-byte characters: an error naming the place. */
    @Test
    void unterminatedStrings() {
        Fuzz.forAll(2000, g -> {
            String body = jsonish(g);
            return new Unterminated(body, g.bool() ? "{\"k\": \"" + body : "[\"" + body);
        }, u -> {
            Object r = parseOrMalformed(u.doc().getBytes(StandardCharsets.UTF_8));
            if (u.body().indexOf('"') < 0) { // a quote in the body may close the string (seed-found: [""])
                assertTrue(r instanceof MalformedJsonException, "an unterminated document parsed: " + show(u.doc()));
            }
        });
    }

    static final List<byte[]> BAD_UTF8 = List.of(
            new byte[] {(byte) 0xC3},                              // a lead byte without its continuation
            new byte[] {(byte) 0x80},                              // a lone continuation byte
            new byte[] {(byte) 0xFF},                              // never valid
            new byte[] {(byte) 0xC0, (byte) 0xAF},                 // overlong '/'
            new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80},    // an encoded surrogate
            new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, // beyond U+10FFFF
            new byte[] {(byte) 0xE2, (byte) 0x82});                // truncated three-byte sequence

    /** A valid document with one byte made invalid UTF-8: an error naming the byte. */
    @Test
    void badUtf8() {
        Fuzz.forAll(2000, g -> {
            Random random = g.random();
            byte[] bad = g.pick(BAD_UTF8);
            byte[] doc = Json.writeBytes(RandomJson.value(random, 0));
            int at = random.nextInt(doc.length + 1);
            byte[] input = new byte[doc.length + bad.length];
            System.arraycopy(doc, 0, input, 0, at);
            System.arraycopy(bad, 0, input, at, bad.length);
            System.arraycopy(doc, at, input, at + bad.length, doc.length - at);
            return input;
        }, input -> assertTrue(parseOrMalformed(input) instanceof MalformedJsonException, "bad UTF-8 parsed"));
    }
}
