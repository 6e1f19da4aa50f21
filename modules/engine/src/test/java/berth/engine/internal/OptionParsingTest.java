package berth.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.engine.ConfigOverrides;
import berth.engine.EngineConfig;
import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.model.Container;
import berth.kernel.model.NetworkSpec;
import berth.kernel.model.PortMapping;
import berth.kernel.model.RestartPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OptionParsingTest {
    @TempDir
    Path tmp;

    @Test
    void theBridgeModeJoinsTheBackendsDefaultNetwork() {
        NetworkSpec n = NetworkModes.parse("bridge", List.of(), () -> "podman");
        assertEquals("bridge", n.mode());
        assertEquals(List.of("podman"), n.networks());
    }

    @Test
    void aNetworkNameIsItsOwnModeAndOptionsFollowAColon() {
        NetworkSpec n = NetworkModes.parse("mynet:ip=10.89.7.5,flag", List.of(), () -> {
            throw new AssertionError("the default network is not asked for a named network");
        });
        assertEquals(List.of("mynet"), n.networks());
        assertEquals(Map.of("ip", "10.89.7.5", "flag", ""), n.options());
        assertEquals(List.of(), NetworkModes.parse("slirp4netns:mtu=1500", List.of(), () -> "x").networks());
    }

    @Test
    void pastasOptionsAreItsCommandLineKeptWholeInOrderWithRepeats() {
        NetworkSpec n = NetworkModes.parse("pasta:-t,8080,-t,8081,--mtu=1500", List.of(), () -> {
            throw new AssertionError("pasta joins no named network");
        });
        assertEquals("pasta", n.mode());
        assertEquals(List.of(), n.networks());
        assertEquals(Map.of("pasta", "-t,8080,-t,8081,--mtu=1500"), n.options());
        assertEquals(Map.of(), NetworkModes.parse("pasta", List.of(PortMapping.parse("8080:80")), () -> "x").options());
    }

    @Test
    void portsCannotBePublishedWithoutANetwork() {
        List<PortMapping> p = List.of(PortMapping.parse("8080:80"));
        BerthException e = assertThrows(BerthException.class, () -> NetworkModes.parse("none", p, () -> "x"));
        assertEquals("cannot publish ports with --network none", e.getMessage().replaceFirst(": .*$", "").strip());
        assertThrows(BerthException.class, () -> NetworkModes.parse("host", p, () -> "x"));
        assertThrows(BerthException.class, () -> NetworkModes.parse(":x=1", List.of(), () -> "x"));
    }

    @Test
    void namesAreCheckedAsPodmanChecksThem() {
        assertEquals("web-1.a_b", Ids.checkName("web-1.a_b", "container"));
        for (String bad : List.of("", "-web", ".x", "a b", "a/b", "ä")) {
            BerthException e = assertThrows(BerthException.class, () -> Ids.checkName(bad, "container"), bad);
            assertTrue(e.getMessage().contains("invalid container name \"" + bad + "\""), e.getMessage());
        }
        assertEquals(64, Ids.newId().length());
        assertTrue(Ids.newId().matches("[0-9a-f]{64}"));
    }

    @Test
    void containersConfOptionsReachTheRuntimesAndTheNetworkBackends() throws Exception {
        Path conf = Files.writeString(tmp.resolve("containers.conf"), """
                [containers]
                netns = "slirp4netns"
                [engine]
                conmon_path = ["/opt/conmon", "/usr/bin/conmon"]
                runtime = "runc"
                [network]
                default_network = "podman"
                default_subnet = "10.88.0.0/16"
                plugin_timeout = 30
                cni_plugin_dirs = ["/a", "/b"]
                """);
        EngineConfig c = ConfigLoader.load(new ConfigOverrides(conf.toString(), null, null, null, null, null, null), Map.of());
        assertEquals("slirp4netns", c.defaultNetwork());
        assertEquals(List.of("/opt/conmon", "/usr/bin/conmon"), c.engineOptions().get("conmon_path"));
        assertEquals(List.of("runc"), c.engineOptions().get("runtime"));
        assertEquals("podman", c.networkOptions().get("default_network"));
        assertEquals("10.88.0.0/16", c.networkOptions().get("default_subnet"));
        assertEquals("30", c.networkOptions().get("plugin_timeout"));
        assertEquals("/a,/b", c.networkOptions().get("cni_plugin_dirs"));
    }

    @Test
    void aModeInDefaultNetworkStillSetsTheMode() throws Exception {
        Path conf = Files.writeString(tmp.resolve("containers.conf"), "[network]\ndefault_network = \"none\"\n");
        EngineConfig c = ConfigLoader.load(new ConfigOverrides(conf.toString(), null, null, null, null, null, null), Map.of());
        assertEquals("none", c.defaultNetwork());
        assertFalse(c.networkOptions().containsKey("default_network"));
        Path plain = Files.writeString(tmp.resolve("plain.conf"), "");
        assertEquals("bridge", ConfigLoader.load(new ConfigOverrides(plain.toString(), null, null, null, null, null, null), Map.of())
                .defaultNetwork());
    }

    @Test
    void aFileOfCommentsOnlyIsNotParsed() throws Exception {
        Path conf = Files.writeString(tmp.resolve("packaged.conf"), "# berth's containers.conf\n\n  # [engine]\n#runtime = \"runc\"\n");
        assertFalse(ConfigLoader.hasSettings(conf));
        assertTrue(ConfigLoader.hasSettings(Files.writeString(tmp.resolve("set.conf"), "# x\n[engine]\n")));
        EngineConfig c = ConfigLoader.load(new ConfigOverrides(conf.toString(), null, null, null, null, null, null), Map.of());
        assertEquals("crun", c.runtime());
        assertEquals(conf, c.configFile());
    }

    @Test
    void malformedConfigurationNamesTheFileAndLine() throws Exception {
        Path conf = Files.writeString(tmp.resolve("bad.conf"), "[engine]\nruntime = \n");
        BerthException e = assertThrows(BerthException.class,
                () -> ConfigLoader.load(new ConfigOverrides(conf.toString(), null, null, null, null, null, null), Map.of()));
        assertEquals(ErrorCode.CONFIG_INVALID, e.code());
        assertTrue(e.getMessage().contains(conf.toString()) && e.getMessage().contains("line 2"), e.getMessage());
    }

    @Test
    void onlyKnownLogDriversAreAccepted() {
        assertEquals("none", ContainerFactory.checkLogDriver("none"));
        assertThrows(BerthException.class, () -> ContainerFactory.checkLogDriver("journald"));
    }

    @Test
    void restartPoliciesDecideAsSeed000() {
        Container base = Fixtures.container(Fixtures.id('a'), "r", List.of());
        assertFalse(ExitCleanup.shouldRestart(withPolicy(base, "no", 1, 0)));
        assertTrue(ExitCleanup.shouldRestart(withPolicy(base, "always", 0, 5)));
        assertTrue(ExitCleanup.shouldRestart(withPolicy(base, "on-failure", 1, 100)));
        assertFalse(ExitCleanup.shouldRestart(withPolicy(base, "on-failure", 0, 0)));
        assertTrue(ExitCleanup.shouldRestart(withPolicy(base, "on-failure:3", 1, 2)));
        assertFalse(ExitCleanup.shouldRestart(withPolicy(base, "on-failure:3", 1, 3)));
        assertTrue(ExitCleanup.shouldRestart(withPolicy(base, "unless-stopped", 0, 9)));
    }

    private static Container withPolicy(Container c, String policy, int exitCode, int restarts) {
        return new Container(c.config().toBuilder().restartPolicy(RestartPolicy.parse(policy)).build(),
                c.state().toBuilder().exitCode(exitCode).restartCount(restarts).build());
    }
}
