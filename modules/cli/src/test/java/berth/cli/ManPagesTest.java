package berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.cli.Completion.Node;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** berth generate-man-pages: a page per command with every flag, and troff that groff and man accept without warnings. */
class ManPagesTest {
    @TempDir
    Path tmp;

    @Test
    void everyCommandHasAPageMentioningEachOfItsFlags() throws Exception {
        Path dir = tmp.resolve("man1");
        assertEquals(0, Commands.execute(null, List.of("generate-man-pages", dir.toString()), "berth"));
        TreeSet<String> files = new TreeSet<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.forEach(p -> files.add(p.getFileName().toString()));
        }
        TreeSet<String> expected = new TreeSet<>(List.of("berth.1"));
        for (Node n : Completion.model()) {
            expected.add(ManPages.fileName(n.path));
            String page = Files.readString(dir.resolve(ManPages.fileName(n.path)));
            for (Opt o : n.cmd.opts()) {
                for (String name : o.names()) {
                    assertTrue(page.contains("\\fB" + ManPages.lit(name) + "\\fR"), ManPages.fileName(n.path) + " lacks " + name);
                }
            }
            assertTrue(page.contains(ManPages.text(n.cmd.description())), n.path);
        }
        assertEquals(expected, files);
        assertTrue(files.containsAll(List.of("berth-run.1", "berth-network-create.1", "berth-container-cleanup.1",
                "berth-system-migrate-state.1", "berth-completion.1")), files.toString());
        String root = Files.readString(dir.resolve("berth.1"));
        for (String s : List.of(".SH SYNOPSIS", ".SH GLOBAL FLAGS", ".SH COMMANDS", ".B 125", ".B 126", ".B 127",
                "/etc/berth/containers.conf", ".BR podman (1)")) {
            assertTrue(root.contains(s), "berth.1 lacks " + s);
        }
        for (Opt o : Main.GLOBAL) {
            assertTrue(root.contains(ManPages.lit(o.names().get(o.names().size() - 1))), "berth.1 lacks " + o.names());
        }
    }

    @Test
    void groffAndManRenderEveryPageWithoutWarnings() throws Exception {
        for (Map.Entry<String, String> e : ManPages.pages().entrySet()) {
            Path f = tmp.resolve(e.getKey());
            Files.writeString(f, e.getValue());
            Shell.Result g = Shell.run(tmp, Map.of(), "groff", "-man", "-ww", "-z", f.toString());
            assertEquals("", g.err(), e.getKey());
            assertEquals(0, g.code(), e.getKey());
            Shell.Result m = Shell.run(tmp, Map.of("MANWIDTH", "80"), "man", "--warnings", "-l", f.toString());
            assertEquals("", m.err(), e.getKey());
            assertTrue(m.out().contains("SYNOPSIS"), e.getKey() + ":\n" + m.out());
        }
    }
}
