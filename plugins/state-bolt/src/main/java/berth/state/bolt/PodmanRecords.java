package berth.state.bolt;

import berth.kernel.json.Json;
import berth.kernel.json.JsonObject;
import berth.kernel.model.Container;
import berth.kernel.model.ContainerConfig;
import berth.kernel.model.ContainerState;
import berth.kernel.model.ContainerStatus;
import berth.kernel.model.ExecSession;
import berth.kernel.model.NetworkSpec;
import berth.kernel.model.Resources;
import berth.kernel.model.RestartPolicy;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Maps a container record written by podman 4 (libpod's ContainerConfig and ContainerState JSON)
 * onto berth's model, read-only: enough for {@code ps}, {@code inspect} and lookups to show the
 * right name, ID, command and state. Such containers carry the annotation {@link #ORIGIN_ANNOTATION}
 * = {@code podman}.
 */
final class PodmanRecords {
    /** Marks a container that podman created; berth does not change its record. */
    static final String ORIGIN_ANNOTATION = "io.berth.state.origin";

    /** libpod's define.ContainerStatus order: Unknown, Configured, Created, Running, Stopped, Paused, Exited, Removing, Stopping. */
    private static final ContainerStatus[] STATUS = {
        ContainerStatus.UNKNOWN, ContainerStatus.CONFIGURED, ContainerStatus.CREATED, ContainerStatus.RUNNING,
        ContainerStatus.STOPPED, ContainerStatus.PAUSED, ContainerStatus.EXITED, ContainerStatus.REMOVING,
        ContainerStatus.STOPPING,
    };

    /** libpod's define.ContainerExecStatus: Unknown, Created, Running, Stopped. */
    private static final int EXEC_RUNNING = 2;

    private PodmanRecords() {
    }

    /** libpod's number for a status (its define.ContainerStatus). */
    static int code(ContainerStatus status) {
        for (int i = 0; i < STATUS.length; i++) {
            if (STATUS[i] == status) {
                return i;
            }
        }
        return 0;
    }

    static ContainerStatus status(long code) {
        return code >= 0 && code < STATUS.length ? STATUS[(int) code] : ContainerStatus.UNKNOWN;
    }

    /**
     * @param netns the container bucket's "netns" key, or null
     * @param networks names in the container bucket's "networks" sub-bucket
     */
    static Container toContainer(String id, byte[] configJson, byte[] stateJson, String netns, List<String> networks) throws IOException {
        JsonObject c = Json.parseObject(configJson);
        JsonObject spec = orEmpty(c.obj("spec"));
        JsonObject process = orEmpty(spec.obj("process"));
        String cid = c.str("id", id);
        if (!cid.equals(id)) {
            throw new IOException("config names ID " + cid + " but is stored under " + id);
        }
        String name = c.str("name");
        if (name == null || name.isEmpty()) {
            throw new IOException("config has no name");
        }

        Map<String, String> annotations = noNulls(spec.stringMap("annotations"));
        annotations.put(ORIGIN_ANNOTATION, "podman");

        String rootfs = c.str("rootfs", "");
        if (rootfs.isEmpty()) {
            rootfs = c.str("rootfsImageName", c.str("RawImageName", ""));
        }

        RestartPolicy restart;
        try {
            String policy = c.str("restart_policy", "no");
            long retries = c.lng("restart_retries", 0);
            restart = RestartPolicy.parse(policy.equals("on-failure") && retries > 0 ? policy + ":" + retries : policy);
        } catch (RuntimeException e) {
            restart = RestartPolicy.NO;
        }

        JsonObject resources = orEmpty(orEmpty(spec.obj("linux")).obj("resources"));
        long memory = orEmpty(resources.obj("memory")).lng("limit", 0);
        JsonObject cpu = orEmpty(resources.obj("cpu"));
        long quota = cpu.lng("quota", 0);
        long period = cpu.lng("period", 0);
        long nanoCpus = quota > 0 && period > 0 ? quota * 1_000_000_000L / period : 0;
        long pids = orEmpty(resources.obj("pids")).lng("limit", 0);

        LinkedHashSet<String> deps = new LinkedHashSet<>(c.strings("Dependencies"));
        for (String k : List.of("ipcNsCtr", "mountNsCtr", "netNsCtr", "pidNsCtr", "userNsCtr", "utsNsCtr", "cgroupNsCtr")) {
            String d = c.str(k, "");
            if (!d.isEmpty()) {
                deps.add(d);
            }
        }
        deps.remove(null);
        deps.remove("");

        ContainerConfig config = ContainerConfig.builder()
                .id(id)
                .name(name)
                .rootfs(rootfs)
                .command(LibpodSettings.command(spec))
                .env(nonNull(process.strings("env")))
                .workingDir(process.str("cwd", "/"))
                .user(c.str("user", ""))
                .hostname(spec.str("hostname", ""))
                .terminal(process.bool("terminal", false))
                .stdin(c.bool("stdin", false))
                .labels(noNulls(c.stringMap("labels")))
                .annotations(annotations)
                .network(network(c.str("networkMode", ""), networks, hasNetworkNamespace(spec)))
                .restartPolicy(restart)
                .stopSignal(c.integer("stopSignal", 15))
                .stopTimeout(c.integer("stopTimeout", 10))
                .logDriver(c.str("logDriver", "k8s-file"))
                .logPath(c.str("logPath"))
                .runtime(c.str("runtime"))
                .resources(new Resources(memory, nanoCpus, pids))
                .dependencies(new ArrayList<>(deps))
                .autoRemove("TRUE".equalsIgnoreCase(annotations.get("io.podman.annotations.autoremove")))
                .createdAt(time(c.str("createdTime")))
                .timeout(c.integer("timeout", 0))
                .preserveFds(c.integer("preserveFds", 0))
                .logSizeMax(Math.max(0, c.lng("logSize", 0))) // podman's -1: no limit
                .capabilities(LibpodSettings.capabilities(spec))
                .settings(LibpodSettings.read(c, spec))
                .build();
        return new Container(config, state(stateJson, netns));
    }

    private static ContainerState state(byte[] stateJson, String netns) throws IOException {
        if (stateJson == null) {
            return ContainerState.configured();
        }
        JsonObject s = Json.parseObject(stateJson);
        Map<String, ExecSession> execs = new LinkedHashMap<>();
        JsonObject sessions = s.obj("newExecSessions");
        if (sessions != null) {
            for (String k : sessions.asMap().keySet()) {
                JsonObject e = sessions.obj(k);
                if (e == null) {
                    continue;
                }
                List<String> cmd = orEmpty(e.obj("config")).strings("command");
                execs.put(k, new ExecSession(e.str("id", k), nonNull(cmd), e.integer("pid", 0),
                        e.lng("state", 0) == EXEC_RUNNING, e.integer("exitCode", -1)));
            }
        }
        JsonObject ns = s.obj("networkStatus");
        return new ContainerState(status(s.lng("state", 0)), s.integer("pid", 0), s.integer("conmonPid", 0),
                s.integer("exitCode", 0), s.bool("exited", false), s.bool("oomKilled", false),
                time(s.str("startedTime")), time(s.str("finishedTime")), s.integer("restartCount", 0),
                s.bool("stoppedByUser", false), s.bool("restartPolicyMatch", false),
                netns == null || netns.isEmpty() ? null : netns, ns == null ? Map.of() : noNullValues(ns.asMap()), List.of(), execs);
    }

    /** libpod's network mode: stated, or bridge when the container joined networks, none with a private namespace, else host. */
    private static NetworkSpec network(String mode, List<String> networks, boolean ownNamespace) {
        String m = mode;
        int colon = m.indexOf(':');
        if (colon >= 0) {
            m = m.substring(0, colon);
        }
        if (m.isEmpty()) {
            m = !networks.isEmpty() ? "bridge" : ownNamespace ? "none" : "host";
        }
        return new NetworkSpec(m, networks, Map.of(), List.of());
    }

    private static boolean hasNetworkNamespace(JsonObject spec) {
        JsonObject linux = spec.obj("linux");
        if (linux == null) {
            return true;
        }
        for (JsonObject ns : linux.objects("namespaces")) {
            if ("network".equals(ns.str("type"))) {
                return true;
            }
        }
        return false;
    }

    /** Go's time.Time JSON (RFC 3339 with nanoseconds); its zero value means "never". */
    static Instant time(String s) {
        if (s == null || s.isEmpty() || s.startsWith("0001-01-01")) {
            return null;
        }
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Go's nil entries left out (shared with LibpodSettings). */
    static List<String> nonNull(List<String> l) {
        List<String> out = new ArrayList<>(l.size());
        for (String s : l) {
            if (s != null) {
                out.add(s);
            }
        }
        return out;
    }

    static Map<String, String> noNulls(Map<String, String> m) {
        Map<String, String> out = new LinkedHashMap<>();
        m.forEach((k, v) -> {
            if (k != null && v != null) {
                out.put(k, v);
            }
        });
        return out;
    }

    private static Map<String, Object> noNullValues(Map<String, Object> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> {
            if (k != null && v != null) {
                out.put(k, v);
            }
        });
        return out;
    }

    static JsonObject orEmpty(JsonObject o) {
        return o == null ? new JsonObject() : o;
    }
}
