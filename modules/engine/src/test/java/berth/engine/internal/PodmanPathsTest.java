package berth.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import berth.engine.ConfigOverrides;
import berth.engine.EngineConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** podman's directory rules: static dir and volume path follow --root, the tmp dir follows no root. */
class PodmanPathsTest {
    @TempDir
    Path tmp;

    private EngineConfig load(String toml, String root, String runRoot, String tmpDir) throws Exception {
        Path conf = tmp.resolve("c.conf");
        Files.writeString(conf, toml);
        return ConfigLoader.load(new ConfigOverrides(conf.toString(), root, runRoot, null, null, null, null, null, null, tmpDir), Map.of());
    }

    @Test
    void berthsOwnRootsKeepTheirTmpDirUnderTheRunRoot() throws Exception {
        EngineConfig c = load("", "/x/root", "/x/run", null);
        assertEquals(Path.of("/x/run/libpod"), c.tmpDir());
        assertEquals(Path.of("/x/root/libpod"), c.staticDir());
        assertEquals(Path.of("/x/root/volumes"), c.volumePath());
    }

    @Test
    void podmansRunRootMeansPodmansTmpDir() throws Exception {
        EngineConfig c = load("", "/var/lib/containers/storage", "/run/containers/storage", null);
        assertEquals(Path.of("/run/libpod"), c.tmpDir());
        assertEquals(Path.of("/var/lib/containers/storage/libpod"), c.staticDir());
        assertEquals(Path.of("/var/lib/containers/storage/volumes"), c.volumePath());
    }

    @Test
    void theFileSetsAllThreeAndRunRootDoesNotMoveTheTmpDir() throws Exception {
        String toml = "[engine]\ntmp_dir = \"/t\"\nstatic_dir = \"/s\"\nvolume_path = \"/v\"\n";
        EngineConfig c = load(toml, null, null, null);
        assertEquals(Path.of("/t"), c.tmpDir());
        assertEquals(Path.of("/s"), c.staticDir());
        assertEquals(Path.of("/v"), c.volumePath());
        EngineConfig withRunRoot = load(toml, null, "/elsewhere", null);
        assertEquals(Path.of("/t"), withRunRoot.tmpDir(), "podman: --runroot leaves tmp_dir alone");
    }

    @Test
    void rootFlagMovesStaticDirAndVolumePathAsInPodman() throws Exception {
        EngineConfig c = load("[engine]\nstatic_dir = \"/s\"\nvolume_path = \"/v\"\n", "/r", null, null);
        assertEquals(Path.of("/r/libpod"), c.staticDir());
        assertEquals(Path.of("/r/volumes"), c.volumePath());
    }

    @Test
    void tmpdirFlagWinsOverTheFile() throws Exception {
        EngineConfig c = load("[engine]\ntmp_dir = \"/t\"\n", null, null, "/flag/tmp");
        assertEquals(Path.of("/flag/tmp"), c.tmpDir());
    }
}
