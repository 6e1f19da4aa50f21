package berth.network.cni;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.kernel.json.Json;
import berth.testsupport.Sys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Which calls berth passes through instead of running, and (against the installed portmap and tuning
 * binaries) that running them would indeed have printed the previous result and changed nothing.
 */
class PassThroughPluginsTest {
    private static final String PREV = "{\"cniVersion\":\"1.0.0\",\"interfaces\":[{\"name\":\"berth0\",\"mac\":\"0a:58:0a:59:00:01\"},"
            + "{\"name\":\"veth1\",\"mac\":\"0a:58:0a:59:00:02\"},{\"name\":\"eth0\",\"mac\":\"0a:58:0a:59:00:05\","
            + "\"sandbox\":\"/run/netns/x\"}],\"ips\":[{\"interface\":2,\"address\":\"10.89.0.5/24\",\"gateway\":\"10.89.0.1\"}],"
            + "\"routes\":[{\"dst\":\"0.0.0.0/0\"}],\"dns\":{}}";

    @BeforeAll
    static void tools() {
        Sys.requireTools("/usr/lib/cni/portmap", "/usr/lib/cni/tuning", "/usr/sbin/iptables-save");
    }

    private static Map<String, Object> prevResult() {
        try {
            return Json.parseObject(PREV).asMap();
        } catch (Json.MalformedJsonException e) {
            throw new AssertionError(e);
        }
    }

    private static Map<String, Object> stdin(String type, boolean prev, Object... extra) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", type);
        m.put("cniVersion", "1.0.0");
        m.put("name", "berth");
        for (int i = 0; i < extra.length; i += 2) {
            m.put((String) extra[i], extra[i + 1]);
        }
        if (prev) {
            m.put("prevResult", prevResult());
        }
        return m;
    }

    @Test
    void portmapWithoutMappingsAndTuningWithoutSettingsPassThrough() {
        Map<String, Object> caps = Map.of("portMappings", true);
        assertTrue(PassThroughPlugins.passesThrough("ADD", stdin("portmap", true, "capabilities", caps), "IgnoreUnknown=1"));
        assertTrue(PassThroughPlugins.passesThrough("DEL", stdin("portmap", true, "capabilities", caps), "IgnoreUnknown=1"));
        assertTrue(PassThroughPlugins.passesThrough("DEL", stdin("portmap", false), ""), "DEL needs no previous result");
        assertTrue(PassThroughPlugins.passesThrough("ADD", stdin("tuning", true), "IgnoreUnknown=1;IP=10.89.0.9"));
        assertTrue(PassThroughPlugins.passesThrough("DEL", stdin("tuning", true), "IgnoreUnknown=1"));
    }

    @Test
    void callsThatDoSomethingOrCouldFailAreRun() {
        Map<String, Object> pm = Map.of("portMappings", List.of(Map.of("hostPort", 8080, "containerPort", 80, "protocol", "tcp")));
        assertFalse(PassThroughPlugins.passesThrough("ADD", stdin("portmap", true, "runtimeConfig", pm), ""));
        assertFalse(PassThroughPlugins.passesThrough("DEL", stdin("portmap", true, "runtimeConfig", pm), ""));
        assertFalse(PassThroughPlugins.passesThrough("ADD", stdin("portmap", false), ""), "unchained: the plugin's own error");
        assertFalse(PassThroughPlugins.passesThrough("ADD", stdin("tuning", false), ""));
        assertFalse(PassThroughPlugins.passesThrough("CHECK", stdin("tuning", true), ""));
        assertFalse(PassThroughPlugins.passesThrough("ADD", stdin("tuning", true, "mtu", 1400), ""));
        assertFalse(PassThroughPlugins.passesThrough("DEL", stdin("tuning", true, "sysctl", Map.of("net.ipv4.ip_forward", "1")), ""));
        assertFalse(PassThroughPlugins.passesThrough("ADD", stdin("tuning", true, "capabilities", Map.of("mac", true)), ""));
        assertFalse(PassThroughPlugins.passesThrough("ADD", stdin("tuning", true), "IgnoreUnknown=1;MAC=0a:58:0a:59:00:09"));
        assertFalse(PassThroughPlugins.passesThrough("ADD", stdin("firewall", true), ""));
        assertFalse(PassThroughPlugins.passesThrough("DEL", stdin("bridge", true), ""));
    }

    /** What berth skips is what the installed plugins would do: print the previous result, and change nothing. */
    @Test
    void theInstalledPluginsDoNothingButPassTheResultOnForTheCallsSkipped() throws Exception {
        CniInvoker invoker = new CniInvoker(List.of("/usr/lib/cni"), 30_000);
        Map<String, Object> prev = prevResult();
        List<Map<String, Object>> skipped = List.of(
                stdin("portmap", true, "capabilities", Map.of("portMappings", true)),
                stdin("tuning", true));
        String id = "passthrough" + Sys.randomHex(4);
        for (Map<String, Object> s : skipped) {
            assertTrue(PassThroughPlugins.passesThrough("ADD", s, "IgnoreUnknown=1"), s.toString());
            // the host's own namespace: tuning enters it, and must change nothing there
            CniInvoker.Call call = new CniInvoker.Call(id, "/proc/self/ns/net", "eth0", "IgnoreUnknown=1");
            Map<String, Object> out = invoker.invoke((String) s.get("type"), "ADD", call, s, "berth");
            assertEquals(prev, out, s.get("type") + " ADD printed something else than its previous result");
            assertTrue(PassThroughPlugins.passesThrough("DEL", s, "IgnoreUnknown=1"));
            assertNull(invoker.invoke((String) s.get("type"), "DEL", call, s, "berth"), s.get("type") + " DEL printed something");
        }
        assertFalse(Sys.ok("iptables-save").contains(id), "no iptables rule names the container");
        assertFalse(Files.exists(Path.of("/run/cni/tuning", id + "_eth0.json")), "tuning kept no backup to restore");
    }
}
