package berth.state.testkit;

import berth.kernel.model.Container;
import berth.kernel.model.ContainerConfig;
import berth.kernel.model.ContainerState;
import berth.kernel.model.ContainerStatus;
import berth.kernel.model.ExecSession;
import berth.kernel.model.MountSpec;
import berth.kernel.model.NetworkSpec;
import berth.kernel.model.PortMapping;
import berth.kernel.model.Resources;
import berth.kernel.model.RestartPolicy;
import berth.kernel.spi.state.DbConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Deterministic container records for the suite and its worker processes. Every record is a pure
 * function of (tag, worker, index, version), so a checker that knows what a worker acknowledged can
 * say exactly what the store must hold: a torn or mixed record never equals any expected one.
 * Records are of realistic size (about 2 KB of JSON, podman's are 2-6 KB) so a torn write would
 * show up, and they use every part of the model (mounts, ports, exec sessions, timestamps with
 * nanoseconds, non-ASCII text).
 */
public final class Workload {
    private static final Instant EPOCH = Instant.parse("2024-03-01T12:00:00Z");
    private static final ContainerStatus[] CYCLE = {
        ContainerStatus.CREATED, ContainerStatus.RUNNING, ContainerStatus.PAUSED, ContainerStatus.RUNNING,
        ContainerStatus.STOPPED, ContainerStatus.EXITED,
    };

    private Workload() {
    }

    /** The DbConfig a store under {@code staticDir} is opened with by the suite and its workers. */
    public static DbConfig dbConfig(Path staticDir) {
        String s = staticDir.toAbsolutePath().toString();
        return new DbConfig(s, s + "/tmp", s + "/storage", s + "/run", s + "/volumes");
    }

    /** A 64-hex-digit container ID, like podman's. */
    public static String id(String tag, int worker, int index) {
        return sha256Hex(tag + "/" + worker + "/" + index);
    }

    public static String name(String tag, int worker, int index) {
        return tag + "-w" + worker + "-c" + index;
    }

    public static ContainerConfig config(String tag, int worker, int index) {
        String id = id(tag, worker, index);
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("io.berth.test.tag", tag);
        labels.put("io.berth.test.worker", Integer.toString(worker));
        labels.put("io.berth.test.index", Integer.toString(index));
        labels.put("app", "web-" + (index % 7));
        labels.put("tier", index % 2 == 0 ? "frontend" : "backend");
        labels.put("owner", "équipe-Ω-" + worker);
        Map<String, String> annotations = new LinkedHashMap<>();
        // A payload that depends on the id: a record mixing two containers' bytes cannot match.
        StringBuilder payload = new StringBuilder();
        String h = id;
        for (int i = 0; i < 12; i++) {
            h = sha256Hex(h);
            payload.append(h);
        }
        annotations.put("io.berth.test.payload", payload.toString());
        annotations.put("io.berth.test.quote", "a \"quoted\" value\twith\nescapes and \u2603");
        List<String> env = new ArrayList<>();
        env.add("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        env.add("TERM=xterm");
        env.add("HOSTNAME=" + id.substring(0, 12));
        for (int i = 0; i < 6; i++) {
            env.add("VAR_" + i + "=" + sha256Hex(id + i).substring(0, 16));
        }
        List<MountSpec> mounts = List.of(
                new MountSpec("bind", "/srv/data/" + worker + "/" + index, "/data", List.of("rw", "rprivate")),
                new MountSpec("tmpfs", "tmpfs", "/run", List.of("rw", "noexec", "nosuid", "nodev")));
        NetworkSpec net = new NetworkSpec("bridge", List.of("podman"), Map.of(),
                List.of(new PortMapping("127.0.0.1", 10000 + (index % 50000), 80, "tcp")));
        return ContainerConfig.builder()
                .id(id)
                .name(name(tag, worker, index))
                .rootfs("/var/lib/berth/storage/overlay/" + id + "/merged")
                .command(List.of("/bin/sh", "-c", "echo worker " + worker + " container " + index + "; sleep 1000"))
                .env(env)
                .workingDir("/srv")
                .user("1000:1000")
                .hostname(id.substring(0, 12))
                .terminal(index % 2 == 0)
                .stdin(index % 3 == 0)
                .labels(labels)
                .annotations(annotations)
                .mounts(mounts)
                .network(net)
                .restartPolicy(index % 4 == 0 ? new RestartPolicy(RestartPolicy.Kind.ON_FAILURE, 3) : RestartPolicy.NO)
                .stopSignal(15)
                .stopTimeout(10)
                .logDriver("k8s-file")
                .logPath("/var/lib/berth/storage/overlay-containers/" + id + "/userdata/ctr.log")
                .runtime("runc")
                .resources(new Resources(256L << 20, 500_000_000L, 100))
                .hooksDirs(List.of("/usr/share/containers/oci/hooks.d"))
                .createdAt(EPOCH.plusSeconds(worker * 100_000L + index).plusNanos(123_456_789L))
                .build();
    }

    /**
     * The state after {@code version} updates: version 0 is a freshly configured container, each
     * later version moves the status along a realistic cycle and changes PIDs, times and exec sessions.
     */
    public static ContainerState state(String tag, int worker, int index, int version) {
        if (version == 0) {
            return ContainerState.configured();
        }
        ContainerState.Builder b = ContainerState.configured().toBuilder()
                .status(CYCLE[(version - 1) % CYCLE.length])
                .pid(10_000 + version * 7 + index)
                .conmonPid(9_000 + version * 7 + index)
                .exitCode(version % 5 == 0 ? 137 : 0)
                .exited(version % 5 == 0)
                .restartCount(version)
                .startedAt(EPOCH.plusSeconds(1000L * version + index).plusNanos(1000L * worker))
                .netNsPath("/run/netns/berth-" + id(tag, worker, index).substring(0, 12) + "-" + version)
                .networkStatus(Map.of("interface", "eth0", "address", "10.88.0." + (2 + index % 250), "version", "v" + version))
                .appliedHooks(List.of("hook-" + version));
        if (version % 5 == 0) {
            b.finishedAt(EPOCH.plusSeconds(1000L * version + index + 30));
        }
        if (version % 2 == 0) {
            b.putExecSession(new ExecSession(execId(tag, worker, index, version), List.of("/bin/ls", "-l", "/"), 20_000 + version, false, 0));
        }
        return b.build();
    }

    /** Exec session IDs are unique across the whole store, as podman's are. */
    public static String execId(String tag, int worker, int index, int version) {
        return sha256Hex("exec/" + tag + "/" + worker + "/" + index + "/" + version);
    }

    public static Container container(String tag, int worker, int index, int version) {
        return new Container(config(tag, worker, index), state(tag, worker, index, version));
    }

    /** The version a workload record claims to be at (its restart count). */
    public static int versionOf(Container c) {
        return c.state().restartCount();
    }

    /** The worker and index a workload record claims to be, from its labels; null for foreign records. */
    public static int[] coordinatesOf(Container c) {
        Map<String, String> l = c.config().labels();
        String w = l.get("io.berth.test.worker");
        String i = l.get("io.berth.test.index");
        if (w == null || i == null) {
            return null;
        }
        return new int[] {Integer.parseInt(w), Integer.parseInt(i)};
    }

    static String sha256Hex(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            StringBuilder sb = new StringBuilder(64);
            for (byte x : d) {
                sb.append(Character.forDigit((x >> 4) & 0xf, 16)).append(Character.forDigit(x & 0xf, 16));
            }
            return sb.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
