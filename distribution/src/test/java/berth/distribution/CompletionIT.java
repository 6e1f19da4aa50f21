package berth.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue #17: the bash completion script, in a real bash, asks the real berth for container and network names. */
class CompletionIT {
    @TempDir
    Path tmp;
    Berth berth;

    @BeforeEach
    void setUp() {
        berth = new Berth(tmp);
    }

    @AfterEach
    void tearDown() {
        berth.cleanUp();
    }

    private List<String> complete(String... words) throws Exception {
        StringBuilder driver = new StringBuilder("source " + tmp.resolve("berth.bash") + "\nCOMP_WORDS=(");
        for (String w : words) {
            driver.append(" '").append(w).append('\'');
        }
        driver.append(" )\nCOMP_CWORD=").append(words.length - 1).append("\n_berth\nprintf '%s\\n' \"${COMPREPLY[@]}\"\n");
        Path d = Files.writeString(tmp.resolve("driver.bash"), driver);
        Process p = new ProcessBuilder("bash", d.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor(60, TimeUnit.SECONDS);
        List<String> l = new ArrayList<>();
        out.lines().filter(s -> !s.isEmpty()).forEach(l::add);
        return l;
    }

    @Test
    void bashCompletesTheContainersAndNetworksOfTheRootTyped() throws Exception {
        Files.writeString(tmp.resolve("berth.bash"), berth.run("completion", "bash").ok().out());
        Path rootfs = Files.createDirectories(tmp.resolve("rootfs"));
        berth.run("create", "--name", "alpha", "--network", "none", "--rootfs", rootfs.toString(), "true").ok();
        berth.run("create", "--name", "beta", "--network", "none", "--rootfs", rootfs.toString(), "true").ok();
        berth.run("network", "create", "compnet").ok();
        String bin = Berth.BIN.toString();
        String root = berth.root().toString();
        String run = berth.runRoot().toString();
        assertEquals(new TreeSet<>(List.of("alpha", "beta")), new TreeSet<>(complete(bin, "--root", root, "--runroot", run, "rm", "")));
        assertEquals(List.of("alpha"), complete(bin, "--root", root, "--runroot", run, "start", "a"));
        assertEquals(List.of(), complete(bin, "--root", root, "--runroot", run, "stop", ""), "nothing is running");
        assertEquals(List.of("compnet"), complete(bin, "--root", root, "--runroot", run, "network", "rm", "comp"));
        assertEquals(List.of(), complete(bin, "--root", tmp.resolve("other").toString(), "--runroot", run + "-other", "rm", ""),
                "another root has no containers");
        assertEquals(List.of(), complete(bin, "--root", root, "--runroot", run, "--db-backend", "nosuch", "rm", ""),
                "an error is quiet");
    }
}
