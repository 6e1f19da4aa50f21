package berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import berth.engine.ConfigOverrides;
import berth.kernel.error.BerthException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code pod}: podman's answers for a store without pods (checked against podman 4.3.1's output). */
class PodCommandsTest {
    private record Outcome(int code, String out, String err) {
    }

    private static Outcome pod(String... argv) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
        int code;
        try {
            List<String> l = new java.util.ArrayList<>(List.of("pod"));
            l.addAll(List.of(argv));
            // no engine is opened: a pod command never needs one
            Context ctx = new Context(new ConfigOverrides(null, "/nonexistent/root", "/nonexistent/run", null, null, null, null, null,
                    null, null, null));
            try {
                code = Commands.execute(ctx, l, "berth");
            } catch (BerthException x) {
                System.err.println("Error: " + x.getMessage());
                code = x.exitCode();
            }
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        return new Outcome(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    }

    @Test
    void killChecksTheSignalBeforeAnyLookup() {
        for (String s : List.of("0", "SIGBADSIG", "SIG", "BADSIG", "%%", "!", "''", "-0", "-SIG")) {
            Outcome r = pod("kill", "-s", s, "nosuchpod");
            assertEquals(125, r.code(), s);
            assertEquals("Error: invalid signal: " + s.replaceFirst("^-", "") + "\n", r.err(), s);
        }
        // no range check for pods (podman's pod kill): the lookup answers
        Outcome big = pod("kill", "-s", "99", "nosuchpod");
        assertEquals(new Outcome(125, "", "Error: no pod with name or ID nosuchpod found: no such pod\n"), big);
        assertEquals(new Outcome(125, "", "Error: no pod with name or ID p found: no such pod\n"), pod("kill", "p"));
        assertEquals(new Outcome(125, "", "Error: you must provide at least one name or id\n"), pod("kill"));
        assertEquals(new Outcome(0, "", ""), pod("kill", "-a"));
        assertEquals(new Outcome(125, "", "Error: no arguments are needed with --all\n"), pod("kill", "-a", "p"));
    }

    @Test
    void removalAndStopAnswerAsPodmanDoes() {
        assertEquals(new Outcome(0, "", ""), pod("rm", "-t", "0", "--all", "--force", "--ignore"));
        assertEquals(new Outcome(1, "", "Error: no pod with name or ID p found: no such pod\n"), pod("rm", "p"));
        assertEquals(new Outcome(0, "", ""), pod("rm", "--ignore", "p"));
        assertEquals(new Outcome(0, "", ""), pod("rm", "-f", "p"));
        assertEquals(new Outcome(125, "", "Error: no pod with name or ID p found: no such pod\n"), pod("stop", "p"));
        assertEquals(new Outcome(0, "", ""), pod("stop", "-a"));
    }

    @Test
    void listingsAreEmpty() {
        assertEquals(new Outcome(0, "POD ID      NAME        STATUS      CREATED     INFRA ID    # OF CONTAINERS\n", ""), pod("ps"));
        assertEquals(new Outcome(0, "", ""), pod("ls", "-q"));
        assertEquals(new Outcome(0, "[]\n", ""), pod("ps", "--format", "json"));
        assertEquals(new Outcome(0, "NAME\n", ""), pod("list", "--format", "table {{.Name}}"));
        assertEquals(new Outcome(1, "", ""), pod("exists", "p"));
        assertEquals(new Outcome(125, "[]\n", "Error: inspecting object: no such pod p\n"), pod("inspect", "p"));
    }
}
