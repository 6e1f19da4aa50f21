package berth.distribution;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.kernel.json.Json;
import berth.kernel.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a container gets from podman's containers.conf and the security flags, seen from inside it:
 * podman's default seccomp profile refuses what it does not list, {@code seccomp=unconfined} and a
 * profile of one's own change that, default_ulimits and {@code --ulimit} set the limits,
 * {@code --privileged} gives every capability, the host's devices and no filter or masks, and
 * inspect shows the command line that made the container.
 */
class SecurityDefaultsIT {
    /** personality(ADDR_NO_RANDOMIZE): podman's default profile allows personality only for a few values. */
    private static final String PERSONALITY = "linux64 -R true";

    @TempDir
    Path tmp;

    private Berth berth;
    private String rootfs;

    @BeforeEach
    void setUp() throws Exception {
        Path conf = tmp.resolve("containers.conf");
        Files.writeString(conf, "[containers]\ndefault_ulimits = [\"nofile=4000:5000\", \"nproc=32768:32768\"]\n");
        berth = new Berth(tmp).global("--runtime", "crun").env("CONTAINERS_CONF", conf.toString());
        rootfs = Berth.rootfs().toString();
    }

    @AfterEach
    void tearDown() {
        berth.cleanUp();
    }

    /** {@code berth run --rm --network none FLAGS --rootfs ROOTFS COMMAND...}. */
    private Berth.Result run(List<String> flags, String... command) {
        List<String> args = new ArrayList<>(List.of("run", "--rm", "--network", "none"));
        args.addAll(flags);
        args.add("--rootfs");
        args.add(rootfs);
        args.addAll(List.of(command));
        return berth.run(args.toArray(String[]::new));
    }

    @Test
    void podmansDefaultProfileFiltersAndUnconfinedDoesNot() {
        Berth.Result filtered = run(List.of(), "sh", "-c", "grep Seccomp: /proc/self/status; " + PERSONALITY);
        assertTrue(filtered.out().contains("Seccomp:\t2"), filtered.out() + filtered.err());
        assertNotEquals(0, filtered.exitCode(), "personality(ADDR_NO_RANDOMIZE) is refused: " + filtered.out());
        assertTrue((filtered.out() + filtered.err()).contains("not implemented"), "ENOSYS, the profile's defaultErrno: " + filtered.err());

        Berth.Result free = run(List.of("--security-opt", "seccomp=unconfined"), "sh", "-c", "grep Seccomp: /proc/self/status; " + PERSONALITY);
        assertEquals(0, free.exitCode(), free.out() + free.err());
        assertTrue(free.out().contains("Seccomp:\t0"), free.out());
    }

    /**
     * berth hands crun the default profile's program compiled ahead (run.oci.seccomp_bpf_data): crun
     * keeps the program it loaded in its state directory, and it is byte for byte the one crun
     * compiles itself from the same spec without the annotation. exec runs under the same filter.
     */
    @Test
    void crunLoadsTheProgramBerthCompiledAheadAndItIsCrunsOwn() throws Exception {
        String id = berth.run("run", "-d", "--network", "none", "--rootfs", rootfs, "sleep", "60").ok().line();
        try {
            byte[] loaded = Files.readAllBytes(berth.runRoot().resolve("runtime/crun").resolve(id).resolve("seccomp.bpf"));
            Path config = berth.root().resolve("containers").resolve(id).resolve("userdata/config.json");
            JsonObject spec = Json.parseObject(Files.readString(config));
            assertTrue(spec.obj("annotations").has("run.oci.seccomp_bpf_data"), "the spec carries the program");
            spec.obj("annotations").asMap().remove("run.oci.seccomp_bpf_data");
            spec.obj("linux").asMap().remove("cgroupsPath");
            spec.put("process", Map.of("args", List.of("/bin/true"), "cwd", "/", "user", Map.of("uid", 0, "gid", 0)));
            Path bundle = Files.createDirectories(tmp.resolve("crun-own-bundle"));
            Files.writeString(bundle.resolve("config.json"), spec.toString());
            Path state = Files.createDirectories(tmp.resolve("crun-own-state"));
            Path log = tmp.resolve("crun-own.log");
            ProcessBuilder create = new ProcessBuilder("crun", "--root", state.toString(), "create", "--bundle", bundle.toString(), "own")
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            assertEquals(0, create.start().waitFor(), Files.readString(log));
            try {
                byte[] own = Files.readAllBytes(state.resolve("own/seccomp.bpf"));
                assertTrue(own.length > 1000, "crun compiled podman's default profile: " + own.length + " bytes");
                assertArrayEquals(own, loaded, "the program berth compiled is crun's own");
            } finally {
                new ProcessBuilder("crun", "--root", state.toString(), "delete", "--force", "own").start().waitFor();
            }
            Berth.Result exec = berth.run("exec", id, "sh", "-c", "grep Seccomp: /proc/self/status; " + PERSONALITY);
            assertTrue(exec.out().contains("Seccomp:\t2"), exec.out() + exec.err());
            assertNotEquals(0, exec.exitCode(), "exec runs under the filter too: " + exec.out());
        } finally {
            berth.run("rm", "-f", "-t", "0", id);
        }
    }

    @Test
    void aProfileOfOnesOwnRefusesWhatItSays() throws Exception {
        Path profile = tmp.resolve("no-mkdir.json");
        Files.writeString(profile, """
                {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
                  {"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1}]}""");
        // the root filesystem is shared by the tests and written in place: a directory of this process's own, removed again
        String mkdir = "mkdir /tmp/seccomp-$$ && rmdir /tmp/seccomp-$$";
        Berth.Result refused = run(List.of("--security-opt", "seccomp=" + profile), "sh", "-c", mkdir);
        assertNotEquals(0, refused.exitCode());
        assertTrue(refused.err().contains("Operation not permitted"), refused.out() + refused.err());
        Berth.Result allowed = run(List.of(), "sh", "-c", mkdir);
        assertEquals(0, allowed.exitCode(), "podman's default profile allows mkdir: " + allowed.err());
    }

    @Test
    void defaultUlimitsAndTheFlagThatReplacesThem() {
        assertEquals("4000 5000 32768", run(List.of(), "sh", "-c", "echo $(ulimit -n) $(ulimit -Hn) $(ulimit -u)").ok().line());
        // podman's flag replaces containers.conf's list (a type left out gets podman's 1048576, which this
        // machine's runtime may not grant: UlimitsTest checks that rule)
        assertEquals("1024 2048 3000", run(List.of("--ulimit", "nofile=1024:2048", "--ulimit", "nproc=3000:4000"), "sh", "-c",
                "echo $(ulimit -n) $(ulimit -Hn) $(ulimit -u)").ok().line());
    }

    @Test
    void inspectShowsTheCommandLineThatMadeTheContainer() {
        String id = berth.run("create", "--name", "made", "--network", "none", "--rootfs", rootfs, "true").ok().line();
        String recorded = berth.run("inspect", "--format", "{{json .Config.CreateCommand}}", id).ok().line();
        String expected = "[\"" + Berth.BIN + "\",\"--root\",\"" + berth.root() + "\",\"--runroot\",\"" + berth.runRoot()
                + "\",\"--runtime\",\"crun\",\"create\",\"--name\",\"made\",\"--network\",\"none\",\"--rootfs\",\"" + rootfs + "\",\"true\"]";
        assertEquals(expected, recorded);
        assertTrue(berth.run("inspect", "--format", "{{json .HostConfig.Ulimits}}", id).ok().line()
                .contains("{\"Name\":\"RLIMIT_NOFILE\",\"Soft\":4000,\"Hard\":5000}"));
    }

    /** The capability sets of this process, as /proc/self/status shows them (the host's: the tests run as root). */
    private static String hostCapBnd() throws Exception {
        for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (l.startsWith("CapBnd:")) {
                return l.substring("CapBnd:".length()).trim();
            }
        }
        throw new AssertionError("no CapBnd in /proc/self/status");
    }

    @Test
    void privilegedHasEveryCapabilityNoFilterNoMaskAndTheHostsDevices() throws Exception {
        String hostCaps = hostCapBnd();
        // every capability podman asks for that the host has: the container's sets equal the host's bounding set
        String probe = "grep -E '^(CapEff|CapBnd|Seccomp):' /proc/self/status; grep ' /sys sysfs' /proc/mounts;"
                + " ls -l /dev/kmsg /dev/loop-control; cat /proc/kcore >/dev/null 2>&1 && echo kcore-readable;"
                + " stat -c '%u:%g:%n' /etc /bin";
        Berth.Result p = run(List.of("--privileged", "--user=100"), "sh", "-c", probe).ok();
        String out = p.out();
        assertTrue(out.contains("CapBnd:\t" + hostCaps), "bounding set as the host's " + hostCaps + ":\n" + out);
        assertTrue(out.contains("Seccomp:\t0"), "no seccomp filter:\n" + out);
        assertTrue(out.contains("/sys sysfs rw,"), "/sys writable:\n" + out);
        assertTrue(out.contains("/dev/kmsg") && out.contains("/dev/loop-control"), "the host's devices:\n" + out + p.err());
        assertTrue(out.contains("0:0:/etc") && out.contains("0:0:/bin"), out);
        Berth.Result root = run(List.of("--privileged"), "sh", "-c", "grep '^CapEff:' /proc/self/status").ok();
        assertEquals("CapEff:\t" + hostCaps, root.line());

        Berth.Result u = run(List.of(), "sh", "-c", probe + "; true");
        assertTrue(u.out().contains("Seccomp:\t2") && u.out().contains("/sys sysfs ro,"), u.out());
        assertTrue(!u.out().contains("/dev/kmsg") && !u.out().contains("CapBnd:\t" + hostCaps), u.out());

        String id = berth.run("create", "--privileged", "--network", "none", "--rootfs", rootfs, "true").ok().line();
        assertEquals("true", berth.run("inspect", "--format", "{{.HostConfig.Privileged}}", id).ok().line());
        String plain = berth.run("create", "--network", "none", "--rootfs", rootfs, "true").ok().line();
        assertEquals("false", berth.run("inspect", "--format", "{{.HostConfig.Privileged}}", plain).ok().line());
    }
}
