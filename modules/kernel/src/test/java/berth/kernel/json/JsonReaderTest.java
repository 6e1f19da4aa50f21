package berth.kernel.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** berth's JSON reader against jackson's parser: the same documents must give the same values or both fail. */
class JsonReaderTest {
    private static final JsonFactory JACKSON = new JsonFactory();

    /** The reference: jackson's streaming parser turned into the same plain values. */
    static Object jackson(String text) throws IOException {
        try (JsonParser p = JACKSON.createParser(text.getBytes(StandardCharsets.UTF_8))) {
            Object v = value(p, p.nextToken());
            if (p.nextToken() != null) {
                throw new IOException("trailing content");
            }
            return v;
        }
    }

    private static Object value(JsonParser p, JsonToken t) throws IOException {
        if (t == null) {
            throw new IOException("end of input");
        }
        switch (t) {
            case START_OBJECT: {
                Map<String, Object> m = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String n = p.currentName();
                    m.put(n, value(p, p.nextToken()));
                }
                return m;
            }
            case START_ARRAY: {
                List<Object> l = new ArrayList<>();
                JsonToken n;
                while ((n = p.nextToken()) != JsonToken.END_ARRAY) {
                    l.add(value(p, n));
                }
                return l;
            }
            case VALUE_STRING: return p.getText();
            case VALUE_NUMBER_INT: return p.getLongValue();
            case VALUE_NUMBER_FLOAT: return p.getDoubleValue();
            case VALUE_TRUE: return true;
            case VALUE_FALSE: return false;
            case VALUE_NULL: return null;
            default: throw new IOException("unexpected " + t);
        }
    }

    private static final String[] VALID = {
        "{}", "[]", "0", "-0", "1", "-1", "9223372036854775807", "-9223372036854775808", "1.5", "-1.5e3", "2E-2",
        "0.0", "1e400", "true", "false", "null", "\"\"", "\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\"", "\"\\u00e9\\u20AC\"",
        "\"\\ud83d\\ude00\"", "\"héllo wörld ✓ 😀\"", " \t\r\n{ \"a\" : [ 1 , 2 , { \"b\" : null } ] } \n",
        "{\"a\":1,\"a\":2}", "[[[[[]]]]]", "{\"ociVersion\":\"1.0.2\",\"process\":{\"args\":[\"/bin/true\"],\"env\":[]}}",
        "\uFEFF{\"bom\":true}", "[1.0,2.50,-0.0]",
    };

    private static final String[] INVALID = {
        "", " ", "{", "}", "[", "]", "[1,]", "{\"a\":1,}", "{a:1}", "{'a':1}", "[01]", "[1.]", "[.5]", "[1e]", "[+1]",
        "[-]", "tru", "nul", "[true false]", "{\"a\" 1}", "{\"a\":1 \"b\":2}", "\"abc", "\"a\\x\"", "\"\\u12\"",
        "\"\\uzzzz\"", "\"tab\there\"", "1 2", "{} x", "[1] ]", "9223372036854775808", "-9223372036854775809", "NaN",
        "[Infinity]", "/* c */ 1", "{\"a\":}",
    };

    @Test
    void validDocumentsMatchJackson() throws IOException {
        for (String doc : VALID) {
            assertEquals(jackson(doc), JsonReader.parse(doc), doc);
        }
    }

    @Test
    void invalidDocumentsFailLikeJackson() {
        for (String doc : INVALID) {
            assertThrows(IOException.class, () -> jackson(doc), "jackson accepts " + doc);
            Json.MalformedJsonException e = assertThrows(Json.MalformedJsonException.class, () -> JsonReader.parse(doc), doc);
            assertTrue(e.getMessage().contains("line") || e.getMessage().contains("empty"), e.getMessage());
        }
    }

    @Test
    void errorsNameLineAndColumn() {
        Json.MalformedJsonException e = assertThrows(Json.MalformedJsonException.class,
                () -> JsonReader.parse("{\n  \"a\": 1,\n  \"b\": x\n}"));
        assertTrue(e.getMessage().endsWith("at line 3, column 8"), e.getMessage());
    }

    @Test
    void nestingIsBounded() throws IOException {
        String ok = "[".repeat(JsonReader.MAX_DEPTH) + "]".repeat(JsonReader.MAX_DEPTH);
        JsonReader.parse(ok);
        String deep = "[".repeat(JsonReader.MAX_DEPTH + 1) + "]".repeat(JsonReader.MAX_DEPTH + 1);
        assertThrows(Json.MalformedJsonException.class, () -> JsonReader.parse(deep));
    }

    @Test
    void malformedUtf8IsAnError() {
        byte[] bad = {'"', (byte) 0xC3, '"'};
        assertThrows(Json.MalformedJsonException.class, () -> Json.parse(bad));
    }

    @Test
    void randomDocumentsRoundTripAndMatchJackson() throws IOException {
        Random r = new Random(42);
        for (int i = 0; i < 3000; i++) {
            Object v = RandomJson.value(r, 0);
            String text = Json.write(v, r.nextBoolean());
            Object mine = JsonReader.parse(text);
            assertEquals(jackson(text), mine, text);
            assertEquals(v, mine, text);
        }
    }

    @Test
    void randomGarbageNeverEscapesAsAnotherException() throws IOException {
        Random r = new Random(7);
        String alphabet = "{}[]\",:.-+eE0123456789 \\u\ntruefalsn\u00e9";
        for (int i = 0; i < 20000; i++) {
            StringBuilder b = new StringBuilder();
            int n = r.nextInt(24);
            for (int k = 0; k < n; k++) {
                b.append(alphabet.charAt(r.nextInt(alphabet.length())));
            }
            String doc = b.toString();
            boolean jacksonOk;
            Object expected = null;
            try {
                expected = jackson(doc);
                jacksonOk = true;
            } catch (IOException e) {
                jacksonOk = false;
            }
            if (jacksonOk) {
                assertEquals(expected, JsonReader.parse(doc), doc);
            } else {
                assertThrows(Json.MalformedJsonException.class, () -> JsonReader.parse(doc), doc);
            }
        }
    }
}
