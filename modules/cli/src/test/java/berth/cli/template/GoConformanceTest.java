package berth.cli.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.kernel.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every case of cases.json and compares output and error message with what Go's own
 * text/template produced for it (expected.json, made by src/test/go/expected.go with Go 1.19 and
 * podman's report functions). The fixtures are the same JSON on both sides, plus a struct that
 * {@link Person} mirrors.
 */
class GoConformanceTest {
    /** Go's main.Person: Name, Age, Tags and a method Upper. */
    record Person(String name, long age, List<String> tags) {
        public String upper() {
            return name.toUpperCase();
        }
    }

    @TestFactory
    @SuppressWarnings("unchecked")
    List<DynamicTest> matchesGo() throws IOException, Json.MalformedJsonException {
        Map<String, Object> file = (Map<String, Object>) Json.parse(read("cases.json"));
        Map<String, Object> fixtures = (Map<String, Object>) file.get("fixtures");
        fixtures.put("person", new Person("ann", 42, List.of("a", "b")));
        fixtures.put("people", List.of(new Person("ann", 42, List.of("a")), new Person("bob", 7, List.of())));
        List<Object> expected = (List<Object>) Json.parse(read("expected.json"));
        assertTrue(expected.size() > 200, "expected.json holds the Go results of all cases");
        List<DynamicTest> tests = new ArrayList<>();
        int n = 0;
        for (Object o : expected) {
            Map<String, Object> c = (Map<String, Object>) o;
            String template = (String) c.get("template");
            Object data = fixtures.get((String) c.get("data"));
            String wantOut = (String) c.get("output");
            String wantErr = c.get("error") == null ? null : ((String) c.get("error")).replace("main.Person", "Person");
            boolean missingKeyError = "error".equals(c.get("missingkey"));
            tests.add(DynamicTest.dynamicTest(n++ + ": " + template.replace("\n", "\\n") + " on " + c.get("data"), () -> {
                StringBuilder out = new StringBuilder();
                String err = null;
                try {
                    Template t = Template.parse("t", template);
                    (missingKeyError ? t.withMissingKeyError() : t).execute(data, out);
                } catch (TemplateException e) {
                    err = e.getMessage();
                }
                assertEquals(wantErr, err, "error");
                assertEquals(wantOut, out.toString(), "output");
            }));
        }
        return tests;
    }

    private static byte[] read(String name) throws IOException {
        try (InputStream in = GoConformanceTest.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("test resource " + name + " is missing");
            }
            return in.readAllBytes();
        }
    }
}
