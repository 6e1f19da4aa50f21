package berth.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.engine.ConfigOverrides;
import berth.engine.EngineConfig;
import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** podman's containers.conf files under berth's own: CONTAINERS_CONF, precedence, and the cheap look that skips the parser. */
class PodmanConfChainTest {
    @TempDir
    Path tmp;

    private EngineConfig load(String berthToml, Map<String, String> env) throws Exception {
        Path conf = tmp.resolve("berth.conf");
        Files.writeString(conf, berthToml);
        return ConfigLoader.load(new ConfigOverrides(conf.toString(), "/x/root", "/x/run", null, null, null, null, null, null, null), env);
    }

    private Map<String, String> containersConf(String toml) throws Exception {
        Path p = tmp.resolve("podman.conf");
        Files.writeString(p, toml);
        return Map.of("CONTAINERS_CONF", p.toString());
    }

    @Test
    void containersConfSetsWhatBerthReadsAndBerthsOwnFileWins() throws Exception {
        Map<String, String> env = containersConf("[containers]\ndefault_ulimits = [\"nofile=20000:20000\", \"nproc=32768:32768\"]\n"
                + "seccomp_profile = \"/p/seccomp.json\"\n[engine]\nruntime = \"runc\"\nlock_type = \"file\"\n");
        EngineConfig c = load("", env);
        assertEquals(List.of("nofile=20000:20000", "nproc=32768:32768"), c.containerDefaults().ulimits());
        assertEquals("/p/seccomp.json", c.containerDefaults().seccompProfile());
        assertEquals("runc", c.runtime());
        assertEquals(List.of("file"), c.engineOptions().get("lock_type"));
        EngineConfig over = load("[containers]\nseccomp_profile = \"unconfined\"\n[engine]\nruntime = \"crun\"\n", env);
        assertEquals("unconfined", over.containerDefaults().seccompProfile(), "berth's own file over podman's");
        assertEquals("crun", over.runtime());
        assertEquals(List.of("nofile=20000:20000", "nproc=32768:32768"), over.containerDefaults().ulimits(), "kept where berth's file is silent");
    }

    @Test
    void nothingConfiguredLeavesTheDefaultsUnset() throws Exception {
        EngineConfig c = load("", containersConf("# only comments\n[containers]\n[engine]\n"));
        assertNull(c.containerDefaults().ulimits());
        assertNull(c.containerDefaults().seccompProfile());
    }

    @Test
    void aMissingContainersConfIsAnErrorAsInPodman() {
        Path missing = tmp.resolve("nope.conf");
        BerthException e = assertThrows(BerthException.class, () -> load("", Map.of("CONTAINERS_CONF", missing.toString())));
        assertEquals(ErrorCode.CONFIG_INVALID, e.code());
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    }

    @Test
    void containersConfAloneReplacesPodmansSystemFiles() throws Exception {
        Map<String, String> env = containersConf("");
        assertEquals(List.of(Path.of(env.get("CONTAINERS_CONF"))), ConfigLoader.podmanFiles(env));
        List<Path> system = ConfigLoader.podmanFiles(Map.of());
        for (Path p : system) {
            assertTrue(p.startsWith("/usr/share/containers") || p.startsWith("/etc/containers"), p.toString());
        }
        if (Files.exists(Path.of(PodmanConfFiles.PACKAGED)) && Files.exists(Path.of(PodmanConfFiles.ADMIN))) {
            assertTrue(system.indexOf(Path.of(PodmanConfFiles.PACKAGED)) < system.indexOf(Path.of(PodmanConfFiles.ADMIN)),
                    "the packaged file first, the administrator's over it");
        }
    }

    @Test
    void onlyKeysBerthReadsMakeAFileWorthParsing() {
        // Debian's packaged containers.conf: capabilities and sysctls, which berth does not read
        assertFalse(PodmanConfFiles.setsWhatBerthReads(List.of("[containers]", "default_capabilities = [", "  \"CHOWN\",",
                "  \"KILL\"", "]", "default_sysctls = [", "  \"net.ipv4.ping_group_range=0 0\",", "]", "[secrets]",
                "[secrets.opts]", "[network]", "[engine]", "[engine.runtimes]", "[engine.volume_plugins]", "[machine]")));
        assertTrue(PodmanConfFiles.setsWhatBerthReads(List.of("[containers]", "default_ulimits = [", "\"nofile=1:2\",", "]")));
        assertTrue(PodmanConfFiles.setsWhatBerthReads(List.of("[containers]", "  seccomp_profile=\"/x\"")));
        assertTrue(PodmanConfFiles.setsWhatBerthReads(List.of("[ engine ]", "events_logger = \"file\"")), "every [engine] key");
        assertTrue(PodmanConfFiles.setsWhatBerthReads(List.of("[network]", "\"network_backend\" = \"cni\"")));
        assertTrue(PodmanConfFiles.setsWhatBerthReads(List.of("containers.netns = \"host\"")), "a dotted key at the top");
        assertTrue(PodmanConfFiles.setsWhatBerthReads(List.of("[containers]", "x = \"\"\"", "[engine]", "\"\"\"")), "a multi-line string");
        assertFalse(PodmanConfFiles.setsWhatBerthReads(List.of("# [engine]", "# runtime = \"runc\"", "[machine]", "cpus = 2")));
        Path packaged = Path.of(PodmanConfFiles.PACKAGED);
        if (Files.exists(packaged)) {
            System.out.println("PodmanConfChainTest: " + packaged + " sets what berth reads: " + PodmanConfFiles.setsWhatBerthReads(packaged));
        }
    }
}
