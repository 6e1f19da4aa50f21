package berth.cli.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What Go has no counterpart for: how Java records, beans, Optionals and Durations look to a
 * template, the compiled template's reuse, error positions, and the cost of a thousand rows.
 * GoConformanceTest covers the language itself against Go.
 */
class TemplateTest {
    record Port(String host, int port) {
    }

    record Row(String id, List<String> names, Map<String, String> labels, Optional<Port> port, Duration uptime) {
    }

    /** A bean: getters and an is-getter. */
    public static final class Bean {
        public String getImage() {
            return "busybox";
        }

        public boolean isRunning() {
            return true;
        }

        public Map<String, Object> getState() {
            return Map.of("Pid", 42L);
        }
    }

    private static String run(String template, Object data) throws TemplateException {
        return Template.parse("t", template).execute(data);
    }

    private final Row row = new Row("abc123", List.of("web", "db"), Map.of("app", "web"), Optional.of(new Port("0.0.0.0", 8080)),
            Duration.ofSeconds(3723).plusMillis(500));

    @Test
    void recordComponentsAreFieldsWhateverTheirCase() throws TemplateException {
        assertEquals("abc123 [web db] web", run("{{.ID}} {{.Names}} {{.Labels.app}}", row));
        assertEquals("abc123", run("{{.id}}", row));
        assertEquals("8080", run("{{.Port.Port}}", row), "an Optional is seen through");
        assertEquals("1h2m3.5s", run("{{.Uptime}}", row), "a Duration prints as Go's time.Duration does");
        assertEquals("{0.0.0.0 8080}", run("{{.Port}}", row));
        assertEquals("{Host:0.0.0.0 Port:8080}", run("{{printf \"%+v\" .Port}}", row));
    }

    @Test
    void beanGetters() throws TemplateException {
        assertEquals("busybox true 42", run("{{.Image}} {{.Running}} {{.State.Pid}}", new Bean()));
    }

    @Test
    void unknownFieldOfARecordIsAnError() {
        TemplateException e = assertThrows(TemplateException.class, () -> run("{{.ID}}\n  {{.Nope}}", row));
        assertEquals("template: t:2:4: executing \"t\" at <.Nope>: can't evaluate field Nope in type Row", e.getMessage());
        assertEquals(2, e.line());
        assertEquals(4, e.column());
    }

    @Test
    void missingMapKeyIsNoValueUnlessAskedOtherwise() throws TemplateException {
        assertEquals("<no value>", run("{{.Labels.nope}}", row));
        TemplateException e = assertThrows(TemplateException.class,
                () -> Template.parse("t", "{{.Labels.nope}}").withMissingKeyError().execute(row));
        assertTrue(e.getMessage().endsWith("map has no entry for key \"nope\""), e.getMessage());
    }

    @Test
    void parseErrorsNameTheLine() {
        TemplateException e = assertThrows(TemplateException.class, () -> Template.parse("ps", "{{.ID}}\n{{if .X}}"));
        assertEquals("template: ps:2: unexpected EOF", e.getMessage());
        assertEquals(2, e.line());
    }

    @Test
    void jsonKeepsTheMapsOrderAndNamesRecordFieldsAsGo() throws TemplateException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Names", List.of("web"));
        m.put("Id", "abc");
        m.put("Size", 1.5e-7);
        assertEquals("{\"Names\":[\"web\"],\"Id\":\"abc\",\"Size\":1.5e-7}", run("{{json .}}", m));
        assertEquals("{\"Host\":\"0.0.0.0\",\"Port\":8080}", run("{{json .Port}}", row));
        assertEquals("\"<a&b>\"", run("{{json \"<a&b>\"}}", m), "no HTML escaping, as podman sets it");
    }

    @Test
    void lenientJoinOfAnyList() throws TemplateException {
        // Go's strings.Join wants []string; Java lists carry no element type, so any list joins
        assertEquals("1,2", run("{{join . \",\"}}", List.of(1L, 2L)));
    }

    @Test
    void aTableHeaderIsTheTemplateOnHeaderNamesAsInPodman() {
        // podman 4.3.1: images --format 'table {{join .Names ","}}' fails the same way, on the header row
        TemplateException e = assertThrows(TemplateException.class, () -> Report.forList("images", Report.Origin.USER,
                "table {{join .Names \",\"}} {{.ID}}").render(List.of(), Report.headers(Map.of())));
        assertEquals("template: images:1:18: executing \"images\" at <.Names>: wrong type for value; expected []string; got string",
                e.getMessage());
    }

    @Test
    void executionKeepsPartialOutputLikeGosWriter() throws TemplateException {
        Template t = Template.parse("t", "a{{.ID}}{{.Nope}}b");
        StringBuilder out = new StringBuilder();
        assertThrows(TemplateException.class, () -> t.execute(row, out));
        assertEquals("aabc123", out.toString());
    }

    @Test
    void accessorsAreLookedUpOncePerClass() {
        assertSame(Accessors.find(Row.class, "ID").orElseThrow(), Accessors.find(Row.class, "ID").orElseThrow());
        assertTrue(Accessors.find(Row.class, "Nope").isEmpty());
    }

    @Test
    void aThousandRowsTable() throws TemplateException {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("ID", String.format("%012x", i * 7919L));
            r.put("Image", "docker.io/library/busybox:latest");
            r.put("Command", "sh -c 'sleep " + i + "'");
            r.put("CreatedHuman", i + " minutes ago");
            r.put("Status", i % 3 == 0 ? "Up " + i + " minutes" : "Exited (0) " + i + " minutes ago");
            r.put("Ports", i % 2 == 0 ? "0.0.0.0:" + (8000 + i) + "->80/tcp" : "");
            r.put("Names", List.of("c" + i));
            r.put("Labels", Map.of("app", "a" + i));
            rows.add(r);
        }
        String format = "table {{.ID}} {{.Image}} {{.Command}} {{.CreatedHuman}} {{.Status}} {{.Ports}} {{.Names}} {{.Labels}}";
        Report report = Report.forList("ps", Report.Origin.USER, format);
        Map<String, String> headers = Report.headers(Map.of("ID", "container id", "CreatedHuman", "created"));
        String first = report.render(rows, headers);
        assertEquals(1001, first.lines().count());
        assertTrue(first.startsWith("CONTAINER ID  IMAGE                             COMMAND"), first.substring(0, 80));
        long best = Long.MAX_VALUE;
        for (int round = 0; round < 20; round++) {
            long t0 = System.nanoTime();
            String out = report.render(rows, headers);
            best = Math.min(best, System.nanoTime() - t0);
            assertEquals(first, out);
        }
        long t0 = System.nanoTime();
        Report.forList("ps", Report.Origin.USER, format + " {{.Missing}}").render(rows, headers);
        long cold = System.nanoTime() - t0;
        System.out.printf("template: 1000-row table, best of 20 warm renders: %.2f ms; a freshly parsed format: %.2f ms%n",
                best / 1e6, cold / 1e6);
        assertTrue(best < 200_000_000L, "1000 rows took " + best / 1_000_000 + " ms");
    }
}
