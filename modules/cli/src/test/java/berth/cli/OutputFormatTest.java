package berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import berth.kernel.error.BerthException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The formats berth's own tests and users give ps and inspect, through the template engine. */
class OutputFormatTest {
    private static Map<String, Object> container(String id, String name, String status) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("ID", id);
        r.put("Id", id + "0000");
        r.put("Names", name);
        r.put("Status", status);
        r.put("State", Map.of("Status", "running", "Pid", 42L));
        r.put("Labels", Map.of("app", name));
        return r;
    }

    private final List<Map<String, Object>> rows = List.of(container("abc", "web", "Up 1 second"), container("def", "db", "Created"));

    @Test
    void inspectFormatsKeepTheirOutput() {
        Map<String, Object> c = container("abc", "web", "Up");
        assertEquals("abc0000", Output.template("{{.Id}}", c));
        assertEquals("running", Output.template("{{.State.Status}}", c));
        assertEquals("42", Output.template("{{.State.Pid}}", c));
        assertEquals("web\tabc", Output.template("{{.Names}}\\t{{.ID}}", c));
        assertEquals("<no value>", Output.template("{{.Nope}}", c));
    }

    @Test
    void psFormats() {
        assertEquals("web Up 1 second\ndb Created\n", Output.render("ps", "{{.Names}} {{.Status}}", rows, Map.of()));
        assertEquals("web\ndb\n", Output.render("ps", "{{.Names}}\\n", rows, Map.of()));
        assertEquals("CONTAINER ID  NAMES\nabc           web\ndef           db\n",
                Output.render("ps", "table {{.ID}} {{.Names}}", rows, Map.of("ID", "container id")));
        assertEquals("CONTAINER ID  NAMES\n", Output.render("ps", "table {{.ID}}\\t{{.Names}}", List.of(), Map.of("ID", "container id")),
                "a table of no rows still has its header");
        assertEquals("web,db,\n", Output.render("ps", "{{range .}}{{.Names}},{{end}}", rows, Map.of()));
    }

    @Test
    void aBadTemplateIsExit125WithGosMessage() {
        BerthException e = assertThrows(BerthException.class, () -> Output.render("ps", "{{.Names", rows, Map.of()));
        assertEquals(125, e.exitCode());
        // as podman: the escaped form fails, so the text is parsed as written, and that error is reported
        assertEquals("template: ps:1: bad character U+007B '{': invalid argument", e.getMessage());
    }
}
