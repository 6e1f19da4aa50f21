package berth.kernel.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import berth.kernel.json.Json.MalformedJsonException;
import berth.testsupport.Fuzz;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * Hostile input for the kernel's JSON reader (jqwik): random bytes, near-JSON mutations of valid
 * documents, deep nesting, huge numbers, bad UTF-8 and unterminated strings. Every input either
 * parses or fails with {@link MalformedJsonException} naming where — never another exception, a
 * {@link StackOverflowError} or a hang (each try has a time limit).
 *
 * <p>Tries per property are set for CI (the whole class runs in a few seconds) with a fixed seed;
 * {@code -Dberth.fuzz.factor=100} runs a hundred times longer and {@code -Dberth.fuzz.seed=random}
 * explores new inputs (see {@link Fuzz}). Inputs that ever failed live in {@link JsonReaderCorpusTest}.
 */
@AddLifecycleHook(Fuzz.Budget.class)
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

    @Property(tries = 3000)
    void randomBytes(@ForAll @Size(max = 200) byte[] input) {
        parseOrMalformed(input);
    }

    @Property(tries = 3000)
    void randomBytesFromJsonAlphabet(@ForAll("jsonish") String input) {
        parseOrMalformed(input.getBytes(StandardCharsets.UTF_8));
    }

    @Provide
    Arbitrary<String> jsonish() {
        return Arbitraries.strings().withChars("{}[]\",:.-+eE0123456789 \t\n\\/utrfalsenbé\u20ac\uD83D\uDE00\u0000\u001f")
                .ofMaxLength(60);
    }

    /** A valid document with a few bytes changed, inserted, deleted or cut: the same verdict as jackson's. */
    @Property(tries = 3000)
    void mutatedValidDocumentsAgreeWithJackson(@ForAll Random random, @ForAll @IntRange(min = 1, max = 4) int edits) {
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
        String doc = new String(b.toString().getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
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
    }

    /** Arbitrary depth of arrays and objects, closed or not: a clear nesting error, never a stack overflow. */
    @Property(tries = 300)
    void deepNesting(@ForAll @IntRange(min = 1, max = 200_000) int depth, @ForAll boolean objects, @ForAll boolean closed) {
        StringBuilder b = new StringBuilder(depth * 6);
        for (int i = 0; i < depth; i++) {
            b.append(objects && i % 2 == 0 ? "{\"k\":" : "[");
        }
        b.append("1");
        if (closed) {
            for (int i = depth - 1; i >= 0; i--) {
                b.append(objects && i % 2 == 0 ? "}" : "]");
            }
        }
        Object r = parseOrMalformed(b.toString().getBytes(StandardCharsets.UTF_8));
        if (depth > JsonReader.MAX_DEPTH) {
            assertTrue(r instanceof MalformedJsonException e && e.getMessage().contains("nesting"), String.valueOf(r));
        } else {
            assertEquals(closed, !(r instanceof MalformedJsonException), String.valueOf(r));
        }
    }

    /** Numbers of any length and exponent: a Long, a Double (maybe infinite) or a range error. */
    @Property(tries = 1000)
    void hugeNumbers(@ForAll @IntRange(min = 1, max = 100_000) int digits, @ForAll boolean negative,
            @ForAll @IntRange(min = 0, max = 3) int shape, @ForAll Random random) {
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
        Object r = parseOrMalformed(("[" + b + "]").getBytes(StandardCharsets.UTF_8));
        if (r instanceof MalformedJsonException e) {
            assertTrue(shape == 0 && digits >= 19 && e.getMessage().contains("64-bit"), e.getMessage());
        }
    }

    /** Strings cut anywhere, with escapes and multi-byte characters: an error naming the place. */
    @Property(tries = 2000)
    void unterminatedStrings(@ForAll("jsonish") String body, @ForAll boolean inObject) {
        String doc = inObject ? "{\"k\": \"" + body : "[\"" + body;
        Object r = parseOrMalformed(doc.getBytes(StandardCharsets.UTF_8));
        if (body.indexOf('"') < 0) { // a quote in the body may close the string (seed-found: [""])
            assertTrue(r instanceof MalformedJsonException, "an unterminated document parsed: " + show(doc));
        }
    }

    /** A valid document with one byte made invalid UTF-8: an error naming the byte. */
    @Property(tries = 2000)
    void badUtf8(@ForAll Random random, @ForAll("badUtf8Sequences") byte[] bad) {
        byte[] doc = Json.writeBytes(RandomJson.value(random, 0));
        int at = random.nextInt(doc.length + 1);
        byte[] input = new byte[doc.length + bad.length];
        System.arraycopy(doc, 0, input, 0, at);
        System.arraycopy(bad, 0, input, at, bad.length);
        System.arraycopy(doc, at, input, at + bad.length, doc.length - at);
        Object r = parseOrMalformed(input);
        assertTrue(r instanceof MalformedJsonException, "bad UTF-8 parsed");
    }

    @Provide
    Arbitrary<byte[]> badUtf8Sequences() {
        return Arbitraries.of(
                new byte[] {(byte) 0xC3},                              // a lead byte without its continuation
                new byte[] {(byte) 0x80},                              // a lone continuation byte
                new byte[] {(byte) 0xFF},                              // never valid
                new byte[] {(byte) 0xC0, (byte) 0xAF},                 // overlong '/'
                new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80},    // an encoded surrogate
                new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, // beyond U+10FFFF
                new byte[] {(byte) 0xE2, (byte) 0x82});                // truncated three-byte sequence
    }
}
