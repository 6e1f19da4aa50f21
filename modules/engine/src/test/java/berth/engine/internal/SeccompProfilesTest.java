package berth.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.kernel.error.BerthException;
import berth.kernel.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** containers/common's translation of a seccomp.json into the spec's linux.seccomp. */
class SeccompProfilesTest {
    private static final Path PACKAGED = Path.of(ContainerSecurity.DEFAULT_PROFILE);

    @TempDir
    Path tmp;

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> rules(Map<String, Object> spec) {
        return (List<Map<String, Object>>) spec.get("syscalls");
    }

    /** The actions the spec gives {@code name}, in order. */
    private static List<String> actionsFor(Map<String, Object> spec, String name) {
        List<String> out = new ArrayList<>();
        for (Map<String, Object> r : rules(spec)) {
            if (((List<?>) r.get("names")).contains(name)) {
                out.add(r.get("action") + (r.containsKey("errnoRet") ? "/" + r.get("errnoRet") : "") + (r.containsKey("args") ? "+args" : ""));
            }
        }
        return out;
    }

    @Test
    void packagedProfileForPodmansDefaultCapabilitiesOnAmd64() {
        assertTrue(Files.isRegularFile(PACKAGED), "containers-common's seccomp.json (apt-get install golang-github-containers-common)");
        Map<String, Object> s = SeccompProfiles.load(PACKAGED, ContainerSecurity.DEFAULT_CAPS, "amd64", "6.1.0");
        assertEquals("SCMP_ACT_ERRNO", s.get("defaultAction"));
        assertEquals(38L, s.get("defaultErrnoRet"), "defaultErrno ENOSYS");
        assertEquals(List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"), s.get("architectures"));
        // CAP_SYS_CHROOT is held: chroot allowed, its EPERM rule left out
        assertEquals(List.of("SCMP_ACT_ALLOW"), actionsFor(s, "chroot"));
        // CAP_SYS_ADMIN is not: bpf refused with EPERM
        assertEquals(List.of("SCMP_ACT_ERRNO/1"), actionsFor(s, "bpf"));
        // CAP_AUDIT_WRITE is held: the rules excluding it go, the unrestricted socket rule stays
        assertEquals(List.of("SCMP_ACT_ALLOW"), actionsFor(s, "socket"));
        assertTrue(actionsFor(s, "arch_prctl").contains("SCMP_ACT_ALLOW"), "amd64's own rule");
        assertTrue(actionsFor(s, "sync_file_range2").isEmpty(), "ppc64le's rule left out");
        assertTrue(actionsFor(s, "personality").stream().allMatch(a -> a.endsWith("+args")));
        for (Map<String, Object> r : rules(s)) {
            assertFalse(r.containsKey("comment") || r.containsKey("includes") || r.containsKey("excludes"), r.toString());
        }
    }

    @Test
    void withoutAuditWriteTheSocketRulesWithArgumentsApply() {
        assertTrue(Files.isRegularFile(PACKAGED), "containers-common's seccomp.json (apt-get install golang-github-containers-common)");
        Map<String, Object> s = SeccompProfiles.load(PACKAGED, List.of("CAP_CHOWN"), "amd64", "6.1.0");
        assertEquals(List.of("SCMP_ACT_ERRNO/22+args", "SCMP_ACT_ALLOW+args", "SCMP_ACT_ALLOW+args", "SCMP_ACT_ALLOW+args"), actionsFor(s, "socket"));
        assertEquals(List.of("SCMP_ACT_ERRNO/1"), actionsFor(s, "chroot"));
        assertEquals(List.of("SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM"),
                SeccompProfiles.load(PACKAGED, List.of(), "arm64", "6.1.0").get("architectures"));
    }

    @Test
    void errnoNamesSingleNamesArgsAndMinimumKernels() throws Exception {
        String profile = """
                {"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 1, "architectures": ["SCMP_ARCH_X86_64"],
                 "syscalls": [
                   {"name": "mkdir", "action": "SCMP_ACT_ERRNO", "errno": "EACCES", "errnoRet": 5},
                   {"names": ["read"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 1, "value": 2, "valueTwo": 0, "op": "SCMP_CMP_EQ"}]},
                   {"names": ["newer"], "action": "SCMP_ACT_ALLOW", "includes": {"minKernel": "6.2"}},
                   {"names": ["older"], "action": "SCMP_ACT_ALLOW", "includes": {"minKernel": "4.8"}}
                 ]}""";
        Path f = tmp.resolve("p.json");
        Files.writeString(f, profile);
        Map<String, Object> s = SeccompProfiles.load(f, List.of(), "amd64", "6.1.0-18-amd64");
        assertEquals(1L, s.get("defaultErrnoRet"));
        assertEquals(List.of("SCMP_ARCH_X86_64"), s.get("architectures"));
        assertEquals(List.of("SCMP_ACT_ERRNO/13"), actionsFor(s, "mkdir"), "the errno name wins over errnoRet");
        assertEquals(Map.of("index", 1L, "value", 2L, "op", "SCMP_CMP_EQ"), ((List<?>) rules(s).get(1).get("args")).get(0),
                "a zero valueTwo is left out, as Go's omitempty does");
        assertTrue(actionsFor(s, "newer").isEmpty(), "6.1 is older than 6.2");
        assertEquals(List.of("SCMP_ACT_ALLOW"), actionsFor(s, "older"));
        assertNull(SeccompProfiles.translate(Json.parseObject("{\"syscalls\": []}"), List.of(), "amd64", "6.1"), "no action, no rule: off");
    }

    @Test
    void contradictoryOrUnreadableProfilesNameTheFile() throws Exception {
        Path f = tmp.resolve("bad.json");
        Files.writeString(f, "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"name\": \"a\", \"names\": [\"b\"], \"action\": \"SCMP_ACT_ERRNO\"}]}");
        BerthException e = assertThrows(BerthException.class, () -> SeccompProfiles.load(f, List.of(), "amd64", "6.1"));
        assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("'name' and 'names'"), e.getMessage());
        Files.writeString(f, "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrno\": \"EBOGUS\", \"syscalls\": []}");
        assertTrue(assertThrows(BerthException.class, () -> SeccompProfiles.load(f, List.of(), "amd64", "6.1")).getMessage()
                .contains("unknown errno EBOGUS"));
        Path missing = tmp.resolve("missing.json");
        assertTrue(assertThrows(BerthException.class, () -> SeccompProfiles.load(missing, List.of(), "amd64", "6.1")).getMessage()
                .contains(missing.toString()));
    }

    @Test
    void kernelVersionsCompareByTheirNumbers() {
        assertTrue(SeccompProfiles.compareKernel("6.18.44-fc-v1147", "5.8") > 0);
        assertTrue(SeccompProfiles.compareKernel("4.19.0", "4.19") == 0);
        assertTrue(SeccompProfiles.compareKernel("4.9.0", "4.19") < 0);
    }
}
