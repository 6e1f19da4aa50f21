package berth.kernel.json;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;
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
            Object v = RandomJson.value(r, 0);
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
}
