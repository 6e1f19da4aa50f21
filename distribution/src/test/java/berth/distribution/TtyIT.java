package berth.distribution;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code run -t} in a real pseudo-terminal (a tmux pane), including a resize. */
class TtyIT {
    @TempDir
    Path tmp;
    Berth berth;
    String session;

    @BeforeEach
    void setUp() {
        berth = new Berth(tmp);
        session = "berth-tty-" + ProcessHandle.current().pid();
    }

    @AfterEach
    void tearDown() throws Exception {
        tmux("kill-session", "-t", session);
        berth.cleanUp();
    }

    private static String tmux(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add("tmux");
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        return out;
    }

    @Test
    void runTtyGetsATerminalAndFollowsResizes() throws Exception {
        Path script = tmp.resolve("run.sh");
        // the container prints its terminal and size, waits for the resize, prints the size again
        Files.writeString(script, "#!/bin/sh\n" + String.join(" ", berth.command("run", "-t", "--rm", "--rootfs",
                Berth.rootfs().toString(), "sh", "-c", "'tty; stty size; echo READY; sleep 3; stty size; echo DONE'"))
                + "; echo EXIT=$?; sleep 30\n");
        script.toFile().setExecutable(true);
        tmux("new-session", "-d", "-s", session, "-x", "100", "-y", "30", script.toString());
        tmux("set-option", "-t", session, "status", "off");
        assertTrue(Berth.eventually(15000, () -> pane().contains("READY")), "container did not start in the terminal:\n" + pane());
        String before = pane();
        assertTrue(before.contains("/dev/pts/"), "no pseudo-terminal inside:\n" + before);
        tmux("resize-window", "-t", session, "-x", "120", "-y", "40");
        assertTrue(Berth.eventually(15000, () -> pane().contains("EXIT=")), "container did not finish:\n" + pane());
        String after = pane();
        List<String> sizes = after.lines().map(String::strip).filter(l -> l.matches("\\d+ \\d+")).toList();
        assertTrue(sizes.size() == 2, "expected two sizes (the first set before the container started):\n" + after);
        assertTrue(!after.contains("stty:"), "the terminal had no size when the container started:\n" + after);
        assertTrue(sizes.get(1).endsWith(" 120"), "the resize did not reach the container: " + sizes + "\n" + after);
        assertTrue(!sizes.get(0).equals(sizes.get(1)), "size unchanged: " + sizes);
        assertTrue(after.contains("EXIT=0"), after);
    }

    /** {@code exec -it}: the session's terminal gets the caller's size at once, and each resize after. */
    @Test
    void execTtyGetsTheTerminalsSizeAndFollowsResizes() throws Exception {
        berth.run("run", "-d", "--name", "ttyexec", "--network", "none", "--rootfs", Berth.rootfs().toString(), "sleep", "120").ok();
        try {
            Path script = tmp.resolve("exec.sh");
            Files.writeString(script, "#!/bin/sh\n" + String.join(" ", berth.command("exec", "-it", "ttyexec", "sh", "-c",
                    "'sleep 0.5; stty size; echo READY; sleep 3; stty size; echo DONE'")) + "; echo EXIT=$?; sleep 30\n");
            script.toFile().setExecutable(true);
            tmux("new-session", "-d", "-s", session, "-x", "100", "-y", "30", script.toString());
            tmux("set-option", "-t", session, "status", "off");
            assertTrue(Berth.eventually(15000, () -> pane().contains("READY")), "exec did not start in the terminal:\n" + pane());
            tmux("resize-window", "-t", session, "-x", "120", "-y", "40");
            assertTrue(Berth.eventually(15000, () -> pane().contains("EXIT=")), "exec did not finish:\n" + pane());
            String after = pane();
            List<String> sizes = after.lines().map(String::strip).filter(l -> l.matches("\\d+ \\d+")).toList();
            assertTrue(sizes.size() == 2 && !after.contains("stty:"), "expected two sizes:\n" + after);
            assertTrue(sizes.get(0).endsWith(" 100"), "the session did not get the terminal's size: " + sizes + "\n" + after);
            assertTrue(sizes.get(1).endsWith(" 120"), "the resize did not reach the session: " + sizes + "\n" + after);
            assertTrue(after.contains("EXIT=0"), after);
        } finally {
            berth.run("rm", "-f", "-t", "0", "ttyexec");
        }
    }

    private String pane() {
        try {
            return tmux("capture-pane", "-p", "-t", session, "-S", "-100");
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
