package berth.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.engine.ConfigOverrides;
import berth.engine.EngineConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CleanupCommandTest {
    @TempDir
    Path tmp;

    private EngineConfig config() throws Exception {
        Path conf = Files.writeString(tmp.resolve("containers.conf"), "");
        return ConfigLoader.load(new ConfigOverrides(conf.toString(), tmp.resolve("root").toString(), tmp.resolve("run").toString(),
                null, "sqlite", null, null), Map.of("BERTH_PLUGIN_PATH", "/opt/p1:/opt/p2"));
    }

    @Test
    void theCommandNamesTheSameRootsBackendAndPlugins() throws Exception {
        String id = Fixtures.id('e');
        List<String> cmd = new CleanupCommand(config(), "/usr/bin/berth").forContainer(id);
        assertEquals(List.of("/bin/sh", "-c"), cmd.subList(0, 2));
        assertEquals(tmp.resolve("run/containers/" + id + "/userdata/attached.pid").toString(), cmd.get(4));
        int env = cmd.indexOf("env");
        assertEquals("BERTH_PLUGIN_PATH=/opt/p1:/opt/p2", cmd.get(env + 1));
        assertEquals(List.of("/usr/bin/berth", "--root", tmp.resolve("root").toString(), "--runroot", tmp.resolve("run").toString(),
                "--tmpdir", tmp.resolve("run/libpod").toString(), "--db-backend", "sqlite", "--config", tmp.resolve("containers.conf").toString(), "container", "cleanup", id),
                cmd.subList(env + 2, cmd.size()));
    }

    @Test
    void anEmbeddedEngineHasNoCleanupCommand() throws Exception {
        assertEquals(List.of(), new CleanupCommand(config(), null).forContainer(Fixtures.id('e')));
        assertEquals(List.of(), new CleanupCommand(config(), "").forContainer(Fixtures.id('e')));
    }

    /** The wrapper runs in a real sh: it stands down while the marker names a live process, else runs the command. */
    @Test
    void theWrapperStandsDownOnlyWhileTheAttachedProcessLives() throws Exception {
        Path marker = tmp.resolve("attached.pid");
        Path ran = tmp.resolve("ran");
        Files.writeString(marker, Long.toString(ProcessHandle.current().pid()));
        assertEquals(0, sh(marker, ran));
        assertFalse(Files.exists(ran), "stood down: this JVM is alive");
        Process dead = new ProcessBuilder("true").start();
        dead.waitFor();
        Files.writeString(marker, Long.toString(dead.pid()));
        assertEquals(0, sh(marker, ran));
        assertTrue(Files.exists(ran), "ran: the marker names a dead process");
        Files.delete(ran);
        Files.delete(marker);
        assertEquals(0, sh(marker, ran));
        assertTrue(Files.exists(ran), "ran: no marker");
    }

    private static int sh(Path marker, Path ran) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("/bin/sh", "-c", CleanupCommand.STAND_DOWN_SCRIPT, "berth-exit", marker.toString(),
                "touch", ran.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        return p.exitValue();
    }
}
