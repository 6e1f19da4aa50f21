package berth.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.kernel.error.BerthException;
import berth.kernel.json.Json;
import berth.kernel.model.ContainerConfig;
import berth.kernel.model.NetworkSpec;
import berth.kernel.model.SpecSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * podman's spec-shaping run flags (--cap-add/--cap-drop, --read-only, --sysctl, --device,
 * --group-add, --shm-size, --add-host, --dns*): merging, checks with podman's wording, the record's
 * JSON, and what each writes into the spec and the /etc files.
 */
class SpecSettingsTest {
    @TempDir
    Path dir;

    private static final List<String> DEFAULTS = ContainerSecurity.DEFAULT_CAPS;

    private static SpecSettings settings(List<String> add, List<String> drop) {
        return new SpecSettings(add, drop, false, true, List.of(), List.of(), List.of(), List.of(), Map.of(), List.of(), List.of(), 0);
    }

    @Test
    void capabilitiesMergeAsContainersCommonDoes() {
        List<String> all = Privileged.capabilities();
        assertEquals("CAP_NET_ADMIN", CapabilitySets.canonical("net_admin"));
        assertEquals("CAP_NET_ADMIN", CapabilitySets.canonical("CAP_net_admin"));
        assertEquals("ALL", CapabilitySets.canonical("all"));
        BerthException unknown = assertThrows(BerthException.class, () -> CapabilitySets.canonical("foo"));
        assertTrue(unknown.getMessage().contains("\"CAP_FOO\": unknown capability"), unknown.getMessage());

        List<String> added = CapabilitySets.merge(DEFAULTS, List.of("CAP_SYS_TIME", "CAP_NET_ADMIN"), List.of("CAP_CHOWN"), all);
        assertTrue(added.containsAll(List.of("CAP_SYS_TIME", "CAP_NET_ADMIN")));
        assertFalse(added.contains("CAP_CHOWN"));
        assertEquals(added.stream().sorted().toList(), added, "sorted as podman lists them");
        assertEquals(List.of("CAP_NET_RAW"), CapabilitySets.merge(DEFAULTS, List.of("CAP_NET_RAW"), List.of("ALL"), all));
        List<String> everything = CapabilitySets.merge(DEFAULTS, List.of("ALL"), List.of("CAP_NET_RAW"), all);
        assertEquals(all.size() - 1, everything.size());
        assertFalse(everything.contains("CAP_NET_RAW"));
        BerthException both = assertThrows(BerthException.class,
                () -> CapabilitySets.merge(DEFAULTS, List.of("CAP_CHOWN"), List.of("CAP_CHOWN"), all));
        assertTrue(both.getMessage().contains("capability \"CAP_CHOWN\" cannot be dropped and added"), both.getMessage());
        assertThrows(BerthException.class, () -> CapabilitySets.merge(DEFAULTS, List.of("ALL"), List.of("ALL"), all));
        assertEquals(DEFAULTS, CapabilitySets.merge(DEFAULTS, List.of(), List.of(), all));
    }

    @Test
    void badValuesAreRefusedWithPodmansWords() {
        NetworkSpec bridge = new NetworkSpec("bridge", List.of(), Map.of(), List.of());
        Map<SpecSettings, String> bad = Map.of(
                new SpecSettings(List.of(), List.of(), false, true, List.of("foo"), List.of(), List.of(), List.of(), Map.of(), List.of(), List.of(), 0),
                "bad format for add-host: \"foo\"",
                new SpecSettings(List.of(), List.of(), false, true, List.of("foo:bar"), List.of(), List.of(), List.of(), Map.of(), List.of(), List.of(), 0),
                "invalid IP address in add-host: \"bar\"",
                new SpecSettings(List.of(), List.of(), false, true, List.of(), List.of("1.2.3"), List.of(), List.of(), Map.of(), List.of(), List.of(), 0),
                "1.2.3 is not an ip address",
                new SpecSettings(List.of(), List.of(), false, true, List.of(), List.of(), List.of(), List.of(), Map.of("kernel.foo", "1"), List.of(), List.of(), 0),
                "sysctl 'kernel.foo' is not allowed",
                new SpecSettings(List.of(), List.of(), false, true, List.of(), List.of(), List.of(), List.of(), Map.of(),
                        List.of(new SpecSettings.DeviceSpec("/dev/nonexistent-berth", "/dev/x", "rwm")), List.of(), 0),
                "stat /dev/nonexistent-berth: no such file or directory",
                new SpecSettings(List.of(), List.of(), false, true, List.of(), List.of(), List.of(), List.of(), Map.of(),
                        List.of(new SpecSettings.DeviceSpec("/etc/hostname", "/dev/x", "rwm")), List.of(), 0),
                "/etc/hostname is not a device node");
        bad.forEach((s, words) -> {
            BerthException e = assertThrows(BerthException.class, () -> SpecSettingsCheck.check(s, bridge), words);
            assertTrue(e.getMessage().contains(words), e.getMessage());
        });
        SpecSettings dns = new SpecSettings(List.of(), List.of(), false, true, List.of(), List.of("9.9.9.9"), List.of(), List.of(),
                Map.of(), List.of(), List.of(), 0);
        BerthException e = assertThrows(BerthException.class, () -> SpecSettingsCheck.check(dns, NetworkSpec.NONE));
        assertTrue(e.getMessage().contains("conflicting options: dns and the network mode: none"), e.getMessage());
        SpecSettings net = new SpecSettings(List.of(), List.of(), false, true, List.of(), List.of(), List.of(), List.of(),
                Map.of("net.ipv4.ip_forward", "1"), List.of(), List.of(), 0);
        SpecSettingsCheck.check(net, bridge);
        assertThrows(BerthException.class, () -> SpecSettingsCheck.check(net, new NetworkSpec("host", List.of(), Map.of(), List.of())));
        SpecSettingsCheck.check(new SpecSettings(List.of(), List.of(), false, true, List.of("a:10.0.0.1", "b:fe80::1"),
                List.of("::1", "8.8.8.8"), List.of("x"), List.of("ndots:2"), Map.of("kernel.shmmax", "1"),
                List.of(new SpecSettings.DeviceSpec("/dev/null", "/dev/n", "rw")), List.of(), 0), bridge);
        assertFalse(SpecSettingsCheck.isIp("localhost"), "a name is never looked up");
        assertFalse(SpecSettingsCheck.isIp("256.1.1.1"));
    }

    @Test
    void deviceTextsParseAsPodmansDo() {
        assertEquals(new SpecSettings.DeviceSpec("/dev/fuse", "/dev/fuse", "rwm"), SpecSettings.DeviceSpec.parse("/dev/fuse"));
        assertEquals(new SpecSettings.DeviceSpec("/dev/fuse", "/dev/fuse", "r"), SpecSettings.DeviceSpec.parse("/dev/fuse:r"));
        assertEquals(new SpecSettings.DeviceSpec("/dev/fuse", "/dev/f", "rwm"), SpecSettings.DeviceSpec.parse("/dev/fuse:/dev/f"));
        assertEquals(new SpecSettings.DeviceSpec("/dev/fuse", "/dev/f", "rw"), SpecSettings.DeviceSpec.parse("/dev/fuse:/dev/f:rw"));
        assertNull(SpecSettings.DeviceSpec.parse("/dev/fuse:/dev/f:rx"));
        assertNull(SpecSettings.DeviceSpec.parse("a:b:c:d"));
        assertNull(SpecSettings.DeviceSpec.parse(":/dev/f"));
    }

    @Test
    void theRecordKeepsEverySettingAndOmitsDefaults() throws Exception {
        SpecSettings s = new SpecSettings(List.of("NET_ADMIN"), List.of("chown"), true, false, List.of("a:1.2.3.4"),
                List.of("9.9.9.9"), List.of("example.com"), List.of("ndots:3"), Map.of("net.ipv4.ip_forward", "1"),
                List.of(new SpecSettings.DeviceSpec("/dev/fuse", "/dev/f", "rw")), List.of("44", "wheel"), 1 << 20);
        ContainerConfig c = config(s);
        ContainerConfig back = ContainerConfig.fromJson(Json.parseObject(Json.write(c.toJson())));
        assertEquals(s, back.settings());
        SpecSettings noHosts = SpecSettings.NONE.withNoHosts(true);
        assertFalse(noHosts.isDefault());
        assertEquals(noHosts, ContainerConfig.fromJson(Json.parseObject(Json.write(config(noHosts).toJson()))).settings());
        ContainerConfig plain = config(SpecSettings.NONE);
        assertFalse(Json.write(plain.toJson()).contains("settings"), "a default record is written as before");
        assertEquals(SpecSettings.NONE, ContainerConfig.fromJson(Json.parseObject(Json.write(plain.toJson()))).settings());
    }

    private ContainerConfig config(SpecSettings s) throws Exception {
        Path rootfs = Files.createDirectories(dir.resolve("rootfs/etc"));
        Files.writeString(rootfs.resolve("passwd"), "root:x:0:0:root:/root:/bin/sh\nuser:x:1000:1000::/home/user:/bin/sh\n");
        Files.writeString(rootfs.resolve("group"), "root:x:0:\nwheel:x:10:\nuser:x:1000:\n");
        return ContainerConfig.builder().id(Fixtures.id('a')).name("s").rootfs(dir.resolve("rootfs").toString())
                .command(List.of("true")).network(new NetworkSpec("bridge", List.of(), Map.of(), List.of())).createdAt(Instant.EPOCH)
                .capabilities(CapabilitySets.merge(DEFAULTS, CapabilitySets.canonical(s.capAdd()),
                        CapabilitySets.canonical(s.capDrop()), List.of()))
                .settings(s).build();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> spec(ContainerConfig c) throws Exception {
        Path b = Files.createDirectories(dir.resolve("bundle-" + System.nanoTime()));
        return SpecGenerator.generate(c, new ContainerPaths(b, b, b.resolve("log")),
                new SpecGenerator.Extras(null, Map.of(), List.of(), "/berth"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> m, String key) {
        return (Map<String, Object>) m.get(key);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> mountAt(Map<String, Object> spec, String dest) {
        return ((List<Map<String, Object>>) spec.get("mounts")).stream().filter(m -> m.get("destination").equals(dest)).findFirst()
                .orElseThrow(() -> new AssertionError("no mount at " + dest));
    }

    @Test
    @SuppressWarnings("unchecked")
    void eachSettingReachesTheSpec() throws Exception {
        SpecSettings s = new SpecSettings(List.of("NET_ADMIN"), List.of("chown"), true, true, List.of(), List.of(), List.of(),
                List.of(), Map.of("net.ipv4.ip_forward", "1"), List.of(new SpecSettings.DeviceSpec("/dev/null", "/dev/mynull", "rw")),
                List.of("44", "wheel"), 32L << 20);
        Map<String, Object> spec = spec(config(s));
        Map<String, Object> process = map(spec, "process");
        Map<String, Object> caps = map(process, "capabilities");
        List<String> effective = (List<String>) caps.get("effective");
        assertTrue(effective.contains("CAP_NET_ADMIN") && !effective.contains("CAP_CHOWN"), effective.toString());
        assertFalse(caps.containsKey("ambient"), "root keeps no ambient set");
        assertEquals(List.of(44L, 10L), map(process, "user").get("additionalGids"));
        assertEquals(true, map(spec, "root").get("readonly"));
        for (String tmp : List.of("/run", "/tmp", "/var/tmp")) {
            assertEquals("tmpfs", mountAt(spec, tmp).get("type"), tmp);
        }
        assertTrue(((List<String>) mountAt(spec, "/etc/hosts").get("options")).contains("ro"));
        assertTrue(((List<String>) mountAt(spec, "/dev/shm").get("options")).contains("size=32768k"));
        Map<String, Object> linux = map(spec, "linux");
        assertEquals(Map.of("net.ipv4.ip_forward", "1"), linux.get("sysctl"));
        List<Map<String, Object>> devices = (List<Map<String, Object>>) linux.get("devices");
        Map<String, Object> dev = devices.stream().filter(d -> d.get("path").equals("/dev/mynull")).findFirst().orElseThrow();
        assertEquals(1L, dev.get("major"));
        assertEquals(3L, dev.get("minor"));
        List<Map<String, Object>> rules = (List<Map<String, Object>>) map(linux, "resources").get("devices");
        assertEquals(Map.of("allow", false, "access", "rwm"), rules.get(0), "deny by default, then the device");
        assertEquals(Map.of("allow", true, "type", "c", "major", 1L, "minor", 3L, "access", "rw"), rules.get(1));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aNonRootUserKeepsOnlyTheAddedCapabilitiesAsPodmanGivesThem() throws Exception {
        ContainerConfig c = config(settings(List.of("net_admin"), List.of())).toBuilder().user("1000").build();
        Map<String, Object> caps = map(map(spec(c), "process"), "capabilities");
        for (String set : List.of("effective", "permitted", "inheritable", "ambient")) {
            assertEquals(List.of("CAP_NET_ADMIN"), caps.get(set), set);
        }
        assertTrue(((List<String>) caps.get("bounding")).contains("CAP_CHOWN"));
        ContainerConfig plain = config(SpecSettings.NONE).toBuilder().user("1000").build();
        Map<String, Object> none = map(map(spec(plain), "process"), "capabilities");
        assertEquals(List.of(), none.get("effective"));
        assertFalse(none.containsKey("ambient"));
        ContainerConfig missing = config(new SpecSettings(List.of(), List.of(), false, true, List.of(), List.of(), List.of(),
                List.of(), Map.of(), List.of(), List.of("nosuchgroup"), 0));
        BerthException e = assertThrows(BerthException.class, () -> spec(missing));
        assertTrue(e.getMessage().contains("Unable to find group nosuchgroup: no matching entries in group file"), e.getMessage());
    }

    @Test
    @SuppressWarnings("unchecked")
    void initRunsTheCommandBehindCatatonitAsPodmanDoes() throws Exception {
        SpecSettings s = SpecSettingsCheck.resolveInit(SpecSettings.NONE.withInit(true, ""));
        assertTrue(Files.isExecutable(Path.of(s.initPath())), "catatonit is installed: " + s.initPath());
        Map<String, Object> spec = spec(config(s).toBuilder().command(List.of("sleep", "1")).build());
        assertEquals(List.of("/run/podman-init", "--", "sleep", "1"), map(spec, "process").get("args"));
        Map<String, Object> m = mountAt(spec, "/run/podman-init");
        assertEquals(s.initPath(), m.get("source"));
        assertTrue(((List<String>) m.get("options")).contains("ro"));
        assertEquals("TRUE", map(spec, "annotations").get("io.podman.annotations.init"));
        BerthException e = assertThrows(BerthException.class,
                () -> SpecSettingsCheck.resolveInit(SpecSettings.NONE.withInit(true, "/nonexistent/init")));
        assertTrue(e.getMessage().contains("container-init binary not found on the host: stat /nonexistent/init"), e.getMessage());
    }

    @Test
    void hostsAndResolvConfTakeTheFlags() throws Exception {
        SpecSettings s = new SpecSettings(List.of(), List.of(), false, true, List.of("foo:10.1.2.3"), List.of("9.9.9.9", "1.1.1.1"),
                List.of("example.com"), List.of("ndots:3"), Map.of(), List.of(), List.of(), 0);
        ContainerConfig c = config(s);
        String hosts = EtcFiles.hosts(c, "h", Map.of(), new HostsBase(List.of(), ""));
        assertTrue(hosts.startsWith("10.1.2.3\tfoo\n"), hosts);
        String resolv = EtcFiles.resolvConf(c, List.of("10.0.2.3"), List.of("dns.podman"),
                List.of("# the host's", "search host.example", "nameserver 192.168.1.1", "options edns0"));
        assertEquals("# the host's\nsearch example.com\nnameserver 9.9.9.9\nnameserver 1.1.1.1\noptions ndots:3\n", resolv);
        SpecSettings none = new SpecSettings(List.of(), List.of(), false, true, List.of(), List.of(), List.of("."), List.of(),
                Map.of(), List.of(), List.of(), 0);
        String noSearch = EtcFiles.resolvConf(config(none), List.of(), List.of(), List.of("search host.example", "nameserver 192.168.1.1"));
        assertEquals("nameserver 192.168.1.1\n", noSearch);
    }
}
