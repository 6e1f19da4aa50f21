package berth.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * podman's spec-shaping run flags, side by side: the same flags and the same probe, run in a real
 * container by podman 4.3.1 and by berth on one root filesystem, print the same thing (capability
 * sets as the kernel reports them, a read-only root and its tmpfs, sysctls, a device node,
 * supplementary groups, the size of /dev/shm, /etc/hosts and resolv.conf, an env file).
 */
class RunFlagsIT {
    @TempDir
    Path tmp;

    private Berth berth;
    private PodmanCli podman;

    @BeforeEach
    void setUp() throws Exception {
        berth = new Berth(tmp);
        podman = PodmanCli.tempRoots(tmp, tmp.resolve("podman-run"));
        Files.writeString(tmp.resolve("env"), "# an env file\nA=1\n\nB=from-file\n");
    }

    @AfterEach
    void tearDown() {
        podman.run("rm", "-a", "-f", "-t", "0");
        berth.cleanUp();
    }

    /** Each case: the flags, then "--", then the probe's shell script. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "--cap-add net_admin,SYS_TIME --cap-drop chown -- grep Cap /proc/self/status",
        "--user 1000 --cap-add net_raw -- grep Cap /proc/self/status",
        "--user 1000 -- grep Cap /proc/self/status",
        "--cap-drop all --cap-add net_raw -- grep Cap /proc/self/status",
        "--read-only -- touch /x 2>/dev/null || echo root-ro; touch /tmp/y && echo tmp-rw; touch /run/z && echo run-rw",
        "--read-only --read-only-tmpfs=false -- touch /tmp/y 2>/dev/null || echo tmp-ro",
        "--sysctl kernel.shmmax=1000000 --sysctl net.ipv4.ip_unprivileged_port_start=80 -- cat /proc/sys/kernel/shmmax /proc/sys/net/ipv4/ip_unprivileged_port_start",
        "--device /dev/fuse:/dev/myfuse:rw -- stat -c '%t:%T %F' /dev/myfuse",
        "--group-add 44 --group-add 1234 -- id -G",
        "--shm-size 32m -- df -k /dev/shm | tail -1 | awk '{print $2}'",
        "--env-file ENVFILE -e A=2 -- echo $A $B",
        "--pid host --uts host -- hostname; cat /proc/1/comm; ls -l /proc/self/ns/pid /proc/self/ns/uts | sed 's/.*-> //'",
        "--ipc host -- ls -l /proc/self/ns/ipc | sed 's/.*-> //'; grep -c ' /dev/shm tmpfs' /proc/mounts",
        "--init -- tr '\\0' ' ' < /proc/1/cmdline; echo; ps -o pid,args | head -3",
        "--no-hosts -- grep -c ' /etc/hosts ' /proc/self/mountinfo; echo mounts",
    })
    void berthPrintsWhatPodmanPrints(String spec) {
        int dash = spec.indexOf(" -- ");
        List<String> flags = new ArrayList<>();
        for (String f : spec.substring(0, dash).split(" ")) {
            flags.add(f.equals("ENVFILE") ? tmp.resolve("env").toString() : f);
        }
        String probe = spec.substring(dash + 4);
        String fromPodman = run(podman::run, flags, probe);
        String fromBerth = run(berth::run, flags, probe);
        assertTrue(!fromPodman.isBlank(), "podman printed nothing for " + spec);
        assertEquals(fromPodman, fromBerth, spec);
    }

    /** The hosts and DNS flags need a network of the container's own: both on slirp4netns. */
    @Test
    void hostsAndDnsFlagsWriteTheFilesAsPodmanDoes() {
        List<String> flags = List.of("--network", "slirp4netns", "--add-host", "foo:10.1.2.3", "--dns", "9.9.9.9", "--dns-search",
                "example.com", "--dns-option", "ndots:3");
        String probe = "grep -w foo /etc/hosts; cat /etc/resolv.conf";
        assertEquals(run(podman::run, flags, probe), run(berth::run, flags, probe));
        assertTrue(run(berth::run, flags, probe).contains("nameserver 9.9.9.9"));
    }

    /**
     * The whole /etc/hosts, byte for byte: the --add-host entries, the host's own /etc/hosts, then
     * host.containers.internal (the host's first address here: neither network is a bridge on the
     * host) and the container's names, on 127.0.0.1 without a network of its own.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"none", "slirp4netns"})
    void theHostsFileIsPodmans(String network) {
        List<String> flags = List.of("--network", network, "--name", "hosts-" + network, "--hostname", "h1", "--add-host", "foo:10.1.2.3");
        String fromPodman = run(podman::run, flags, "cat /etc/hosts");
        assertTrue(fromPodman.contains("host.containers.internal"), fromPodman);
        assertEquals(fromPodman, run(berth::run, flags, "cat /etc/hosts"));
    }

    @Test
    void inspectShowsTheFlagsAsPodmansDoes() {
        String rootfs = Berth.rootfs().toString();
        List<String> create = List.of("create", "--name", "f", "--network", "none", "--cap-drop", "all", "--cap-add", "net_raw",
                "--read-only", "--shm-size", "1g", "--device", "/dev/fuse", "--pid", "host", "--uts", "host", "--rootfs", rootfs, "true");
        podman.run(create.toArray(String[]::new)).ok();
        berth.run(create.toArray(String[]::new)).ok();
        String format = "{{.HostConfig.CapAdd}} {{.HostConfig.CapDrop}} {{.HostConfig.ReadonlyRootfs}} {{.HostConfig.ShmSize}}"
                + " {{.HostConfig.PidMode}} {{.HostConfig.IpcMode}} {{.HostConfig.UTSMode}}";
        assertEquals(podman.run("inspect", "--format", format, "f").ok().line(), berth.run("inspect", "--format", format, "f").ok().line());
    }

    @Test
    void badFlagsAreRefusedAsPodmanRefusesThem() {
        String rootfs = Berth.rootfs().toString();
        for (String bad : List.of("--cap-add foo", "--cap-add chown --cap-drop chown", "--sysctl kernel.foo=1", "--add-host foo",
                "--add-host foo:bar", "--dns 1.2.3", "--device /dev/nonexistent", "--shm-size 1x", "--no-hosts --add-host a:1.2.3.4")) {
            List<String> args = new ArrayList<>(List.of("create", "--network", "slirp4netns"));
            args.addAll(List.of(bad.split(" ")));
            args.addAll(List.of("--rootfs", rootfs, "true"));
            PodmanCli.Result p = podman.run(args.toArray(String[]::new));
            Berth.Result b = berth.run(args.toArray(String[]::new));
            assertEquals(125, p.exitCode(), p.toString());
            assertEquals(125, b.exitCode(), bad + ": " + b.err());
            String podmanWords = p.err().strip().replaceFirst("^Error: ", "");
            assertTrue(b.err().contains(podmanWords), bad + ": podman said \"" + podmanWords + "\", berth \"" + b.err().strip() + "\"");
        }
        assertEquals("", berth.run("ps", "-a", "-q").ok().line(), "nothing was created");
    }

    private interface Runner {
        Object run(String... args);
    }

    private static String run(Runner r, List<String> flags, String probe) {
        List<String> args = new ArrayList<>(List.of("run", "--rm", "--network", "none"));
        if (flags.contains("--network")) {
            args = new ArrayList<>(List.of("run", "--rm"));
        }
        args.addAll(flags);
        args.addAll(List.of("--rootfs", Berth.rootfs().toString(), "/bin/sh", "-c", probe));
        Object result = r.run(args.toArray(String[]::new));
        if (result instanceof PodmanCli.Result p) {
            return p.ok().out();
        }
        return ((Berth.Result) result).ok().out();
    }
}
