package berth.kernel.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import berth.kernel.json.Json.MalformedJsonException;
import org.junit.jupiter.api.Test;

/** Inputs that {@link JsonReaderFuzzTest} once found failing, checked as plain JUnit regressions. */
class JsonReaderCorpusTest {
    /** Found by randomBytes: bad UTF-8 was reported as "Input length = 1", without where. */
    @Test
    void badUtf8NamesTheByteOffset() {
        assertEquals("invalid UTF-8 (a malformed sequence of 1 byte) at byte 0",
                assertThrows(MalformedJsonException.class, () -> Json.parse(new byte[] {(byte) 0xFF})).getMessage());
        assertEquals("invalid UTF-8 (a malformed sequence of 1 byte) at byte 6",
                assertThrows(MalformedJsonException.class,
                        () -> Json.parse(new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, '"', '}'})).getMessage());
    }

    @Test
    void truncatedUtf8AtTheEndNamesTheByteOffset() {
        MalformedJsonException e = assertThrows(MalformedJsonException.class,
                () -> Json.parse(new byte[] {'"', 'x', (byte) 0xE2, (byte) 0x82}));
        assertEquals("invalid UTF-8 (a malformed sequence of 2 bytes) at byte 2", e.getMessage());
    }

    /** Found by mutatedValidDocumentsAgreeWithJackson (seed 4711, try 2744): a non-ASCII digit passed as a hex digit. */
    @Test
    void nonAsciiDigitsAreNoHexDigits() throws MalformedJsonException {
        MalformedJsonException e = assertThrows(MalformedJsonException.class, () -> Json.parse("\"\\u003\u0661\"".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertEquals(true, e.getMessage().startsWith("invalid hex digit"), e.getMessage());
        assertEquals("\u0661", Json.parse("\"\\u0661\"".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
}
