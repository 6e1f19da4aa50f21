package berth.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a container gets from podman's containers.conf and the security flags, seen from inside it:
 * podman's default seccomp profile refuses what it does not list, {@code seccomp=unconfined} and a
 * profile of one's own change that, default_ulimits and {@code --ulimit} set the limits, and
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
}
