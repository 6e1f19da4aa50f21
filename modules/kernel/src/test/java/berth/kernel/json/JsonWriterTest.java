package berth.kernel.json;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** berth's JSON writer: jackson must read back what it writes, and the indented form is podman's. */
class JsonWriterTest {
    private static final JsonFactory JACKSON = new JsonFactory();

    /** Every token jackson sees in the text, so any invalid output fails here. */
    private static void jacksonAccepts(String text) throws IOException {
        try (JsonParser p = JACKSON.createParser(text)) {
            while (p.nextToken() != null) {
                // reading is the check
            }
        }
    }

    @Test
    void compactAndPrettyFormsAreValidAndRoundTrip() throws IOException {
        Random r = new Random(1);
        for (int i = 0; i < 3000; i++) {
            Object v = randomValue(r, 0);
            for (boolean pretty : new boolean[] {false, true}) {
                String text = Json.write(v, pretty);
                jacksonAccepts(text);
                assertEquals(v, Json.parse(text), text);
            }
        }
    }

    @Test
    void prettyIsPodmansIndentation() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Id", "abc");
        m.put("Args", List.of("sh", "-c"));
        m.put("Empty", Map.of());
        m.put("None", List.of());
        m.put("State", Map.of("Running", true));
        assertEquals("{\n    \"Id\": \"abc\",\n    \"Args\": [\n        \"sh\",\n        \"-c\"\n    ],\n    \"Empty\": {},\n"
                + "    \"None\": [],\n    \"State\": {\n        \"Running\": true\n    }\n}", Json.write(m, true));
        assertEquals("{\"Id\":\"abc\",\"Args\":[\"sh\",\"-c\"],\"Empty\":{},\"None\":[],\"State\":{\"Running\":true}}", Json.write(m));
    }

    @Test
    void escapesWhatJsonRequires() {
        assertEquals("\"a\\\"b\\\\c\\n\\t\\u0001\\u001f/é😀\"", Json.write("a\"b\\c\n\t\u0001\u001f/é😀"));
        assertEquals("[1,-2,2.5,\"NaN\",null,true]", Json.write(Arrays.asList(1, -2L, 2.5, Double.NaN, null, true)));
    }

    private static Object randomValue(Random r, int depth) {
        switch (r.nextInt(depth > 4 ? 5 : 7)) {
            case 0: return null;
            case 1: return r.nextBoolean();
            case 2: return r.nextLong() >> r.nextInt(64);
            case 3: return r.nextDouble() * Math.pow(10, r.nextInt(40) - 20);
            case 4: return randomString(r);
            case 5: {
                List<Object> l = new ArrayList<>();
                for (int i = r.nextInt(4); i > 0; i--) {
                    l.add(randomValue(r, depth + 1));
                }
                return l;
            }
            default: {
                Map<String, Object> m = new LinkedHashMap<>();
                for (int i = r.nextInt(4); i > 0; i--) {
                    m.put(randomString(r), randomValue(r, depth + 1));
                }
                return m;
            }
        }
    }

    private static String randomString(Random r) {
        StringBuilder b = new StringBuilder();
        for (int i = r.nextInt(10); i > 0; i--) {
            int k = r.nextInt(4);
            if (k == 0) {
                b.append((char) r.nextInt(0x20));
            } else if (k == 1) {
                b.append("\"\\/".charAt(r.nextInt(3)));
            } else if (k == 2) {
                b.appendCodePoint(0x1F600 + r.nextInt(50));
            } else {
                b.append((char) ('a' + r.nextInt(26)));
            }
        }
        return b.toString();
    }
}
