package berth.oci.conmon;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.kernel.json.Json;
import berth.kernel.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The program berth compiles is byte for byte the one the installed crun compiles from the same
 * section (crun keeps it in its state directory as seccomp.bpf), and crun loads berth's as given.
 * Needs root and crun (CI has both); it fails, never skips, without them.
 */
class SeccompPrecompilerTest {
    private static final Path CRUN = Path.of("/usr/bin/crun");

    /**
     * Every kind of rule crun translates: each action, an errno, argument comparisons (one index twice),
     * an unknown name, a rule equal to the default (LOG, so that crun's own set-up under it runs).
     */
    private static final String EVERY_KIND = """
            {"defaultAction": "SCMP_ACT_LOG",
             "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
             "flags": ["SECCOMP_FILTER_FLAG_SPEC_ALLOW"],
             "syscalls": [
              {"names": ["read", "write", "exit", "exit_group", "execve", "brk", "mmap", "no_such_syscall_at_all"], "action": "SCMP_ACT_ALLOW"},
              {"names": ["acct"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1},
              {"names": ["quotactl"], "action": "SCMP_ACT_ERRNO"},
              {"names": ["personality"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 0, "op": "SCMP_CMP_EQ"}]},
              {"names": ["clone"], "action": "SCMP_ACT_ALLOW",
               "args": [{"index": 0, "value": 2114060288, "valueTwo": 0, "op": "SCMP_CMP_MASKED_EQ"}]},
              {"names": ["socket"], "action": "SCMP_ACT_ALLOW",
               "args": [{"index": 0, "value": 16, "op": "SCMP_CMP_NE"}, {"index": 0, "value": 40, "op": "SCMP_CMP_NE"}]},
              {"names": ["setsockopt"], "action": "SCMP_ACT_ALLOW",
               "args": [{"index": 1, "value": 1, "op": "SCMP_CMP_GE"}, {"index": 2, "value": 100, "op": "SCMP_CMP_LT"}]},
              {"names": ["kill", "tgkill"], "action": "SCMP_ACT_LOG"},
              {"names": ["swapon"], "action": "SCMP_ACT_TRAP"},
              {"names": ["reboot"], "action": "SCMP_ACT_KILL_PROCESS"},
              {"names": ["kexec_load"], "action": "SCMP_ACT_KILL"},
              {"names": ["syslog"], "action": "SCMP_ACT_TRACE", "errnoRet": 5},
              {"names": ["vhangup"], "action": "SCMP_ACT_ERRNO", "errnoRet": 38}
             ]}
            """;

    /** The shape of podman's default: allow by default on one architecture, a few refused. */
    private static final String ALLOW_BY_DEFAULT = """
            {"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64"],
             "syscalls": [{"names": ["keyctl", "add_key", "request_key"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1},
                          {"names": ["getpid"], "action": "SCMP_ACT_ALLOW"}]}
            """;

    @TempDir
    Path tmp;
    private Path rootfs;

    @BeforeEach
    void rootfs() throws IOException {
        assertTrue(Files.isExecutable(CRUN), "crun is needed at " + CRUN + " (scripts/setup-host.sh installs it)");
        rootfs = tmp.resolve("rootfs");
        for (String d : List.of("bin", "dev", "proc")) {
            Files.createDirectories(rootfs.resolve(d));
        }
        Files.copy(Path.of("/bin/busybox"), rootfs.resolve("bin/busybox"));
        Files.createSymbolicLink(rootfs.resolve("bin/true"), Path.of("busybox"));
    }

    @Test
    void theProgramIsTheOneCrunCompilesAndCrunLoadsItAsGiven() throws Exception {
        for (String section : List.of(EVERY_KIND, ALLOW_BY_DEFAULT)) {
            byte[] ours = SeccompPrecompiler.compile(section).orElseThrow();
            byte[] cruns = crunsProgram(section, Map.of());
            assertTrue(cruns.length > 0);
            assertArrayEquals(cruns, ours, "berth's program differs from crun's for " + section);
            byte[] loaded = crunsProgram(section, Map.of(SeccompBpfCache.ANNOTATION, Base64.getEncoder().encodeToString(ours)));
            assertArrayEquals(ours, loaded);
        }
    }

    @Test
    void whatCrunWouldRefuseOrHandleItselfIsLeftToCrun() {
        String[] refused = {
            "{\"defaultAction\": \"SCMP_ACT_SOMETHING\"}",
            "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"defaultErrnoRet\": 1}",
            "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"architectures\": [\"SCMP_ARCH_NOPE\"]}",
            "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_KILL\", \"errnoRet\": 1}]}",
            "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_NOTIFY\"}]}",
            "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ERRNO\","
                    + " \"args\": [{\"index\": 6, \"value\": 0, \"op\": \"SCMP_CMP_EQ\"}]}]}",
            "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ERRNO\","
                    + " \"args\": [{\"index\": 0, \"value\": 0, \"op\": \"SCMP_CMP_ALMOST\"}]}]}",
            "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ERRNO\","
                    + " \"args\": [{\"index\": 0, \"value\": 18446744073709551615, \"op\": \"SCMP_CMP_EQ\"}]}]}",
            "not json",
        };
        for (String section : refused) {
            assertTrue(SeccompPrecompiler.compile(section).isEmpty(), section);
        }
    }

    @Test
    void theCacheKeepsTheProgramAndHandsItOutAsTheAnnotation() throws Exception {
        Path section = tmp.resolve("section.json");
        Files.writeString(section, EVERY_KIND);
        SeccompBpfCache cache = new SeccompBpfCache(tmp.resolve("cache"));
        Map<String, String> first = cache.annotationsFor(section);
        byte[] program = Base64.getDecoder().decode(first.get(SeccompBpfCache.ANNOTATION));
        assertArrayEquals(SeccompPrecompiler.compile(EVERY_KIND).orElseThrow(), program);
        try (var entries = Files.list(tmp.resolve("cache"))) {
            assertEquals(1, entries.count());
        }
        assertEquals(first, new SeccompBpfCache(tmp.resolve("cache")).annotationsFor(section));
        // a missing section file or an unwritable cache leaves the compiling to crun
        assertEquals(Map.of(), cache.annotationsFor(tmp.resolve("gone.json")));
    }

    /** The program crun keeps in its state directory after `crun create` of a bundle with this section. */
    private byte[] crunsProgram(String section, Map<String, String> annotations) throws Exception {
        Path bundle = Files.createTempDirectory(tmp, "bundle");
        Path state = Files.createTempDirectory(tmp, "state");
        JsonObject spec = new JsonObject();
        spec.put("ociVersion", "1.0.2");
        spec.put("process", Map.of("args", List.of("/bin/true"), "cwd", "/", "user", Map.of("uid", 0, "gid", 0)));
        spec.put("root", Map.of("path", rootfs.toString()));
        spec.put("annotations", annotations);
        spec.put("mounts", List.of(Map.of("destination", "/proc", "type", "proc", "source", "proc")));
        spec.put("linux", Map.of("namespaces", List.of(Map.of("type", "mount"), Map.of("type", "pid")),
                "seccomp", Json.parse(section)));
        Files.writeString(bundle.resolve("config.json"), spec.toString());
        String id = "berth-seccomp-test-" + ProcessHandle.current().pid() + "-" + bundle.getFileName();
        run(CRUN.toString(), "--root", state.toString(), "create", "--bundle", bundle.toString(), id);
        try {
            return Files.readAllBytes(state.resolve(id).resolve("seccomp.bpf"));
        } finally {
            run(CRUN.toString(), "--root", state.toString(), "delete", "--force", id);
        }
    }

    /** Output to a file: a created container's process keeps crun's stdout open until it is deleted. */
    private void run(String... cmd) throws Exception {
        Path out = Files.createTempFile(tmp, "crun", ".out");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertEquals(0, p.waitFor(), String.join(" ", cmd) + ": " + Files.readString(out));
    }
}
