package berth.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.kernel.model.ContainerConfig;
import berth.kernel.model.NetworkSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spec of a --privileged container against an unprivileged one (podman's rules, seed 002). */
class PrivilegedSpecTest {
    @TempDir
    Path dir;

    @SuppressWarnings("unchecked")
    private Map<String, Object> spec(boolean privileged) throws Exception {
        Path rootfs = Files.createDirectories(dir.resolve("rootfs/etc"));
        Files.writeString(rootfs.resolve("passwd"), "root:x:0:0:root:/root:/bin/sh\n");
        Files.writeString(rootfs.resolve("group"), "root:x:0:\n");
        ContainerConfig c = ContainerConfig.builder().id(Fixtures.id('a')).name("p").rootfs(dir.resolve("rootfs").toString())
                .command(List.of("true")).network(NetworkSpec.NONE).createdAt(Instant.EPOCH).privileged(privileged)
                .capabilities(privileged ? Privileged.capabilities() : ContainerSecurity.DEFAULT_CAPS).build();
        Path b = Files.createDirectories(dir.resolve("bundle-" + privileged));
        return SpecGenerator.generate(c, new ContainerPaths(b, b, b.resolve("log")),
                new SpecGenerator.Extras(null, Map.of(), List.of(), "/berth"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> m, String key) {
        return (Map<String, Object>) m.get(key);
    }

    @SuppressWarnings("unchecked")
    private static List<String> sysOptions(Map<String, Object> spec, String dest) {
        for (Map<String, Object> m : (List<Map<String, Object>>) spec.get("mounts")) {
            if (m.get("destination").equals(dest)) {
                return (List<String>) m.get("options");
            }
        }
        throw new AssertionError("no mount at " + dest);
    }

    @Test
    @SuppressWarnings("unchecked")
    void privilegedGetsEveryCapabilityTheHostsDevicesAndNoMaskedPaths() throws Exception {
        Map<String, Object> p = spec(true);
        Map<String, Object> linux = map(p, "linux");
        List<String> caps = (List<String>) map(map(p, "process"), "capabilities").get("effective");
        String bnd = Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("CapBnd:")).findFirst()
                .orElseThrow().substring("CapBnd:".length()).trim();
        // this process's bounding set, every bit a name (the tests run as root: nearly every capability)
        assertEquals(Long.bitCount(Long.parseUnsignedLong(bnd, 16)), caps.size(), caps.toString());
        assertTrue(caps.containsAll(List.of("CAP_SYS_ADMIN", "CAP_NET_ADMIN", "CAP_SYS_PTRACE", "CAP_MKNOD")), caps.toString());
        assertFalse(linux.containsKey("maskedPaths"));
        assertFalse(linux.containsKey("readonlyPaths"));
        assertFalse(linux.containsKey("seccomp"));
        assertTrue(sysOptions(p, "/sys").contains("rw"));
        assertTrue(sysOptions(p, "/sys/fs/cgroup").contains("rw"));
        List<Map<String, Object>> devices = (List<Map<String, Object>>) linux.get("devices");
        Map<String, Object> nul = devices.stream().filter(d -> d.get("path").equals("/dev/null")).findFirst()
                .orElseThrow(() -> new AssertionError("the host's /dev/null is not among " + devices.size() + " devices"));
        assertEquals("c", nul.get("type"));
        assertEquals(1L, nul.get("major"));
        assertEquals(3L, nul.get("minor"));
        assertTrue(devices.stream().noneMatch(d -> ((String) d.get("path")).startsWith("/dev/pts/")), "the host's ptys stay out");
        assertEquals(List.of(Map.of("allow", true, "access", "rwm")), map(linux, "resources").get("devices"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void unprivilegedKeepsPodmansDefaults() throws Exception {
        Map<String, Object> u = spec(false);
        Map<String, Object> linux = map(u, "linux");
        assertEquals(ContainerSecurity.DEFAULT_CAPS, map(map(u, "process"), "capabilities").get("bounding"));
        assertEquals(SpecGenerator.MASKED, linux.get("maskedPaths"));
        assertEquals(SpecGenerator.READONLY, linux.get("readonlyPaths"));
        assertFalse(linux.containsKey("devices"));
        assertTrue(sysOptions(u, "/sys").contains("ro"));
        assertEquals(List.of(Map.of("allow", false, "access", "rwm")), map(linux, "resources").get("devices"));
    }

    @Test
    void deviceNumbersDecodeAsGlibcDoes() {
        // makedev(259, 1048577): major above 4095 and minor above 255 use the high bits
        long rdev = (259L & 0xfff) << 8 | (259L & ~0xfffL) << 32 | (1048577L & 0xff) | (1048577L & ~0xffL) << 12;
        assertEquals(259, Privileged.major(rdev));
        assertEquals(1048577, Privileged.minor(rdev));
        assertEquals(List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH"), Privileged.capabilities(0b111L));
        assertEquals(List.of("CAP_KILL", "CAP_SYS_ADMIN"), Privileged.capabilities(1L << 21 | 1L << 5));
    }

    @Test
    void privilegedIsRecorded() throws Exception {
        ContainerConfig c = ContainerConfig.builder().id(Fixtures.id('b')).name("q").rootfs("/r").command(List.of("true"))
                .createdAt(Instant.EPOCH).privileged(true).build();
        assertTrue(ContainerConfig.fromJson(berth.kernel.json.Json.parseObject(berth.kernel.json.Json.write(c.toJson(), false))).privileged());
    }
}
