package berth.cli.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.kernel.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * podman's --format rules around the template: table headers, tab alignment, escapes, the implied
 * range and newline. The table cases' expected outputs come from Go's text/template and
 * text/tabwriter driven through podman's steps (src/test/go/table.go).
 */
class ReportTest {
    @TestFactory
    @SuppressWarnings("unchecked")
    List<DynamicTest> tablesMatchGo() throws IOException, Json.MalformedJsonException {
        Map<String, Object> file = (Map<String, Object>) Json.parse(read("table-cases.json"));
        List<Object> rows = (List<Object>) file.get("rows");
        Map<String, String> headers = new LinkedHashMap<>();
        ((Map<String, Object>) file.get("headers")).forEach((k, v) -> headers.put(k, (String) v));
        List<Object> expected = (List<Object>) Json.parse(read("table-expected.json"));
        assertEquals(((List<Object>) file.get("cases")).size(), expected.size());
        List<DynamicTest> tests = new ArrayList<>();
        for (Object o : expected) {
            Map<String, Object> c = (Map<String, Object>) o;
            String format = (String) c.get("format");
            Report.Origin origin = "berth".equals(c.get("origin")) ? Report.Origin.BERTH : Report.Origin.USER;
            boolean withHeaders = Boolean.TRUE.equals(c.get("headers"));
            String wantErr = (String) c.get("error");
            tests.add(DynamicTest.dynamicTest(origin + " " + format.replace("\n", "\\n").replace("\t", "\\t"), () -> {
                String out = "";
                String err = null;
                try {
                    out = Report.forList("ps", origin, format).render(rows, withHeaders ? headers : null);
                } catch (TemplateException e) {
                    err = e.getMessage();
                }
                assertEquals(wantErr, err, "error");
                if (wantErr == null) {
                    assertEquals(c.get("output"), out, "output");
                }
            }));
        }
        return tests;
    }

    @Test
    void jsonFormats() {
        assertTrue(Report.isJson("json"));
        assertTrue(Report.isJson(" {{json .}} "));
        assertTrue(Report.isJson("{{ json }}"));
        assertFalse(Report.isJson("{{json .Labels}}"));
        assertFalse(Report.isJson("table json"));
        assertFalse(Report.isJson(null));
        assertTrue(Report.isJson("{{json.}}"));
        assertTrue(Report.isJson("\t{{ json . }}\n"));
        assertFalse(Report.isJson("{{json ..}}"));
        assertFalse(Report.isJson("{{jsonx}}"));
        assertFalse(Report.isJson("jsonx"));
    }

    @Test
    void tableNeedsTheSpace() {
        assertTrue(Report.isTable("table {{.ID}}"));
        assertFalse(Report.isTable("table"));
        assertFalse(Report.isTable("{{.ID}} table"));
    }

    @Test
    void normalizeIsPodmans() {
        assertEquals("{{.ID}}\t{{.Names}}\n", Report.normalize("table {{.ID}} {{.Names}}"));
        assertEquals("{{.ID}}\t{{.Names}}\n", Report.normalize("table {{.ID}}\\t{{.Names}}\\n"));
        assertEquals("{{.ID}} {{.Names}}\n", Report.normalize("{{.ID}} {{.Names}}"));
        assertEquals("a\tb\n", Report.normalize("a\\tb\\n"));
        assertEquals("\n", Report.normalize(""));
        // podman's replacer turns every space of a table format into a tab, inside actions too
        assertEquals("{{join\t.Names\t\",\t\"}}\n", Report.normalize("table {{join .Names \", \"}}"));
    }

    @Test
    void enforceRangeOnlyWithoutOne() {
        assertEquals("{{range .}}{{.ID}}{{end -}}", Report.enforceRange("{{.ID}}"));
        assertEquals("{{ range . }}{{.ID}}{{ end }}", Report.enforceRange("{{ range . }}{{.ID}}{{ end }}"));
        assertEquals("a{{range.}}{{.ID}}{{end -}}", Report.enforceRange("a{{range.}}{{.ID}}{{end -}}"));
        assertEquals("{{range .}}{{range .}}x{{end -}}", Report.enforceRange("{{range .}}x"), "a range without an end is wrapped");
        assertEquals("{{range .}}{{range .Names}}{{.}}{{end}}{{end -}}", Report.enforceRange("{{range .Names}}{{.}}{{end}}"),
                "only a range over dot counts");
    }

    @Test
    void forValueRendersOneValue() throws TemplateException {
        Map<String, Object> info = Map.of("Host", Map.of("Arch", "amd64", "Distribution", Map.of("distribution", "debian")));
        assertEquals("amd64\t{\"distribution\":\"debian\"}\n",
                Report.forValue("info", "{{.Host.Arch}}\\t{{json .Host.Distribution}}").render(info));
        assertEquals("<no value>\n", Report.forValue("info", "{{.Host.Foo.Bar}}").render(info));
        TemplateException e = assertThrows(TemplateException.class, () -> Report.forValue("info", "{{.Host.Arch.X}}").render(info));
        assertEquals("template: info:1:7: executing \"info\" at <.Host.Arch.X>: can't evaluate field X in type interface {}", e.getMessage());
        assertEquals(1, e.line());
        assertEquals(7, e.column()); // Go places a field chain at its second field
    }

    @Test
    void headersArePodmans() {
        assertEquals(Map.of("ID", "CONTAINER ID", "CreatedHuman", "CREATED", "Names", "NAMES", "ExitCode", "EXIT CODE", "PodName", "PODNAME"),
                Report.headers(List.of("ID", "CreatedHuman", "Names", "ExitCode", "PodName"),
                        Map.of("ID", "container id", "CreatedHuman", "created", "PodName", "podname")));
        assertEquals(List.of("PDF", "Loader"), HeaderNames.splitCamelCase("PDFLoader"));
        assertEquals(List.of("GL", "11", "Version"), HeaderNames.splitCamelCase("GL11Version"));
        assertEquals(List.of("Simple", "XML", "Parser"), HeaderNames.splitCamelCase("SimpleXMLParser"));
        assertEquals(List.of("vim", "RPC", "Plugin"), HeaderNames.splitCamelCase("vimRPCPlugin"));
        assertEquals(List.of("Böse", "Überraschung"), HeaderNames.splitCamelCase("BöseÜberraschung"));
        assertEquals(List.of("ID"), HeaderNames.splitCamelCase("ID"));
    }

    @Test
    void tabWriterBlocksAreConsecutiveLines() {
        // a line without a tab ends a column block: the second block is aligned on its own
        assertEquals("a" + " ".repeat(19) + "b\nlonger-than-twelve  c\nno tabs here\nx" + " ".repeat(11) + "y\n",
                TabWriter.align("a\tb\nlonger-than-twelve\tc\nno tabs here\nx\ty\n"));
        // the last cell of a line does not widen its column; an empty tab-terminated cell is padded
        assertEquals("ab          cd\n" + " ".repeat(12) + "x\n", TabWriter.align("ab\tcd\n\tx\n"));
    }

    private static byte[] read(String name) throws IOException {
        try (InputStream in = ReportTest.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("test resource " + name + " is missing");
            }
            return in.readAllBytes();
        }
    }
}
