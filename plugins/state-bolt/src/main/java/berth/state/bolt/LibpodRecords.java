package berth.state.bolt;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.json.JsonObject;
import berth.kernel.json.RawJson;
import berth.kernel.model.Container;
import berth.kernel.model.ContainerConfig;
import berth.kernel.model.ContainerState;
import berth.kernel.model.ContainerStatus;
import berth.kernel.model.MountSpec;
import berth.kernel.model.Rlimit;
import berth.kernel.spi.state.DbConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a berth container as libpod 4.3.1's ContainerConfig and ContainerState JSON, the records
 * podman reads from the {@code config} and {@code state} keys: podman dereferences the spec and
 * many fields without checking (a missing spec is a nil-pointer panic in {@code ps}), so every
 * field podman's own {@code create --rootfs} writes is written here, with the values berth uses.
 * berth keeps its own JSON beside them ({@code berth-config}, {@code berth-state}).
 */
final class LibpodRecords {
    /** containers.conf's default capabilities (containers/common 0.50), as podman puts them in the spec. */
    private static final List<String> DEFAULT_CAPS = List.of("CAP_AUDIT_WRITE", "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FOWNER",
            "CAP_FSETID", "CAP_KILL", "CAP_MKNOD", "CAP_NET_BIND_SERVICE", "CAP_NET_RAW", "CAP_SETFCAP", "CAP_SETGID",
            "CAP_SETPCAP", "CAP_SETUID", "CAP_SYS_CHROOT");
    private static final List<String> MASKED = List.of("/proc/acpi", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
            "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware", "/sys/fs/selinux",
            "/sys/dev/block");
    private static final List<String> READ_ONLY = List.of("/proc/asound", "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
            "/proc/sysrq-trigger");
    /** podman's default pids limit (containers.conf pids_limit). */
    private static final long DEFAULT_PIDS_LIMIT = 2048;
    /** Go's zero time.Time, which libpod writes for "never". */
    static final String ZERO_TIME = "0001-01-01T00:00:00Z";
    private static final DateTimeFormatter RFC3339_NANO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.nnnnnnnnn'Z'")
            .withZone(ZoneOffset.UTC);

    private LibpodRecords() {
    }

    /** Where berth keeps a container's files, from its log path (ROOT/containers/ID/userdata/ctr.log). */
    static String staticDir(ContainerConfig c, DbConfig db) {
        if (c.logPath() != null && !c.logPath().isEmpty()) {
            int slash = c.logPath().lastIndexOf('/');
            if (slash > 0) {
                return c.logPath().substring(0, slash);
            }
        }
        return db.graphRoot() + "/containers/" + c.id() + "/userdata";
    }

    /** The container's run directory (RUNROOT/containers/ID/userdata), as berth's engine lays it out. */
    static String runDir(ContainerConfig c, DbConfig db) {
        return db.runRoot() + "/containers/" + c.id() + "/userdata";
    }

    /** libpod's ContainerConfig for a container berth made; {@code lockId} is its libpod lock number. */
    static JsonObject config(Container container, DbConfig db, long lockId) {
        ContainerConfig c = container.config();
        String staticDir = staticDir(c, db);
        String runDir = runDir(c, db);
        boolean hostNet = "host".equals(c.network().mode());
        JsonObject o = new JsonObject()
                .put("spec", spec(c, hostNet))
                .put("id", c.id())
                .put("name", c.name())
                .put("lockID", lockId);
        if (c.createCommand().isEmpty()) {
            nulls(o, "CreateCommand");
        } else {
            o.put("CreateCommand", c.createCommand());
        }
        o.put("idMappingsOptions", idMappings());
        o.asMap().put("Dependencies", c.dependencies().isEmpty() ? null : c.dependencies());
        if (c.fromImage()) {
            o.put("rootfsImageID", c.imageId()).put("rootfsImageName", c.image()).put("rawImageName", c.image());
        } else {
            o.put("rootfs", c.rootfs());
        }
        o.put("ShmDir", staticDir + "/shm");
        LibpodSettings.writeConfig(c, o);
        o.put("staticDir", staticDir)
                .put("mounts", List.of(staticDir + "/shm"))
                .put("secretsPath", staticDir + "/secrets");
        nulls(o, "storageOpts");
        o.put("passwd", true)
                .put("privileged", c.privileged())
                .put("labelopts", List.of("disable"))
                .put("createNetNS", !hostNet && !"none".equals(c.network().mode()))
                .put("UseImageResolvConf", false)
                .put("UseImageHosts", c.settings().noHosts());
        if (!c.network().networks().isEmpty()) {
            o.put("networks", c.network().networks());
        }
        if (!c.labels().isEmpty()) {
            o.put("labels", c.labels());
        }
        if (!c.user().isEmpty()) {
            o.put("user", c.user());
        }
        if (c.stdin()) {
            o.put("stdin", true);
        }
        o.put("command", c.command())
                .put("stopSignal", c.stopSignal())
                .put("stopTimeout", c.stopTimeout())
                .put("createdTime", time(c.createdAt()))
                .put("cgroupManager", "cgroupfs")
                .put("cgroupsMode", "enabled")
                .put("cgroupParent", "/libpod_parent")
                .put("logPath", c.logPath())
                .put("logTag", "")
                .put("logSize", c.logSizeMax())
                .put("logDriver", c.logDriver() == null || c.logDriver().isEmpty() ? "k8s-file" : c.logDriver())
                .put("conmonPidFile", runDir + "/conmon.pid")
                .put("postConfigureNetNS", false)
                .put("runtime", c.runtime());
        if (c.timeout() > 0) {
            o.put("timeout", c.timeout()); // libpod's ContainerMiscConfig.Timeout
        }
        if (c.preserveFds() > 0) {
            o.put("preserveFds", c.preserveFds());
        }
        if (c.restartPolicy().kind() != berth.kernel.model.RestartPolicy.Kind.NO) {
            o.put("restart_policy", c.restartPolicy().kind().text());
            if (c.restartPolicy().maxRetries() > 0) {
                o.put("restart_retries", c.restartPolicy().maxRetries());
            }
        }
        o.put("pause", false)
                .put("isService", false)
                .put("sdnotifyMode", "container");
        nulls(o, "healthcheck");
        o.put("healthcheck_on_failure_action", 0)
                .put("umask", "0022")
                .put("pid_file", runDir + "/pidfile")
                .put("mountAllDevices", false);
        return o;
    }

    /** Go writes nil slices and pointers as null; JsonObject.put skips nulls. */
    private static void nulls(JsonObject o, String... keys) {
        for (String k : keys) {
            o.asMap().put(k, null);
        }
    }

    private static Map<String, Object> idMappings() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("HostUIDMapping", true);
        m.put("HostGIDMapping", true);
        m.put("UIDMap", null);
        m.put("GIDMap", null);
        m.put("AutoUserNs", false);
        Map<String, Object> auto = new LinkedHashMap<>();
        auto.put("Size", 0);
        auto.put("InitialSize", 0);
        auto.put("PasswdFile", "");
        auto.put("GroupFile", "");
        auto.put("AdditionalUIDMappings", null);
        auto.put("AdditionalGIDMappings", null);
        m.put("AutoUserNsOpts", auto);
        return m;
    }

    /** The OCI spec podman starts from at init (it adds its own mounts, /etc files and hooks to it). */
    private static JsonObject spec(ContainerConfig c, boolean hostNet) {
        List<String> capabilities = c.capabilities().isEmpty() ? DEFAULT_CAPS : c.capabilities();
        Map<String, Object> caps = new LinkedHashMap<>();
        caps.put("bounding", capabilities);
        caps.put("effective", capabilities);
        caps.put("permitted", capabilities);
        JsonObject process = new JsonObject();
        if (c.terminal()) {
            process.put("terminal", true);
        }
        process.put("user", new JsonObject().put("uid", 0).put("gid", 0).asMap())
                .put("args", LibpodSettings.args(c))
                .put("env", env(c.env()))
                .put("cwd", c.workingDir() == null || c.workingDir().isEmpty() ? "/" : c.workingDir())
                .put("capabilities", caps);
        if (c.rlimits() != null && !c.rlimits().isEmpty()) {
            List<Object> rlimits = new ArrayList<>();
            for (Rlimit r : c.rlimits()) {
                rlimits.add(new JsonObject().put("type", r.type()).put("hard", r.hard()).put("soft", r.soft()).asMap());
            }
            process.put("rlimits", rlimits);
        }
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put("io.kubernetes.cri-o.TTY", c.terminal() ? "true" : "false");
        annotations.put("io.podman.annotations.autoremove", c.autoRemove() ? "TRUE" : "FALSE");
        annotations.put("io.podman.annotations.init", c.settings().init() ? "TRUE" : "FALSE");
        annotations.put("io.podman.annotations.privileged", c.privileged() ? "TRUE" : "FALSE");
        annotations.put("io.podman.annotations.publish-all", "FALSE");
        annotations.putAll(c.annotations());
        List<Object> namespaces = new ArrayList<>();
        for (String ns : hostNet ? List.of("pid", "ipc", "uts", "mount") : List.of("pid", "network", "ipc", "uts", "mount")) {
            if (c.settings().hostNamespaces().contains(ns)) {
                continue; // the host's: podman's spec leaves it out
            }
            namespaces.add(new JsonObject().put("type", ns).asMap());
        }
        JsonObject resources = new JsonObject()
                .put("devices", List.of(new JsonObject().put("allow", false).put("access", "rwm").asMap()))
                .put("pids", new JsonObject().put("limit", c.resources().pidsLimit() > 0 ? c.resources().pidsLimit()
                        : DEFAULT_PIDS_LIMIT).asMap());
        if (c.resources().memoryBytes() > 0) {
            resources.put("memory", new JsonObject().put("limit", c.resources().memoryBytes()).asMap());
        }
        if (c.resources().nanoCpus() > 0) {
            resources.put("cpu", new JsonObject().put("quota", c.resources().nanoCpus() / 10_000).put("period", 100_000).asMap());
        }
        JsonObject linux = new JsonObject().put("resources", resources.asMap()).put("namespaces", namespaces)
                .put("seccomp", seccomp(c)).put("maskedPaths", MASKED).put("readonlyPaths", READ_ONLY);
        JsonObject root = new JsonObject().put("path", "rootfs");
        LibpodSettings.writeSpec(c, caps, root, linux);
        JsonObject spec = new JsonObject().put("ociVersion", "1.0.2-dev").put("process", process.asMap())
                .put("root", root.asMap());
        if (c.hostname() != null && !c.hostname().isEmpty()) {
            spec.put("hostname", c.hostname());
        }
        List<Object> mounts = mounts(c.mounts());
        if (c.settings().init()) {
            mounts.add(mount(LibpodSettings.INIT_DESTINATION, "bind", c.settings().initPath(), List.of("bind", "ro", "rprivate")));
        }
        spec.put("mounts", mounts).put("annotations", annotations).put("linux", linux.asMap());
        return spec;
    }

    /** The spec's linux.seccomp: the filter file the engine kept at create, as it is; null for none. */
    private static RawJson seccomp(ContainerConfig c) {
        if (c.seccompFilter() == null) {
            return null;
        }
        try {
            return new RawJson(Files.readString(Path.of(c.seccompFilter())));
        } catch (IOException e) {
            throw new BerthException(ErrorCode.STATE_CORRUPT, "container " + c.name() + ": cannot read its seccomp filter "
                    + c.seccompFilter() + " for podman's record: " + e.getMessage(), e);
        }
    }

    /** containers.conf's default environment (PATH, TERM=xterm), which podman puts first; the container's own wins. */
    static List<String> env(List<String> own) {
        Map<String, String> byName = new LinkedHashMap<>();
        byName.put("PATH", "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        byName.put("TERM", "TERM=xterm");
        for (String e : own) {
            int eq = e.indexOf('=');
            byName.put(eq < 0 ? e : e.substring(0, eq), e);
        }
        return new ArrayList<>(byName.values());
    }

    /** podman's default mounts, then the container's own. */
    private static List<Object> mounts(List<MountSpec> own) {
        List<Object> out = new ArrayList<>();
        out.add(mount("/proc", "proc", "proc", List.of("nosuid", "noexec", "nodev")));
        out.add(mount("/dev", "tmpfs", "tmpfs", List.of("nosuid", "noexec", "strictatime", "mode=755", "size=65536k")));
        out.add(mount("/dev/pts", "devpts", "devpts", List.of("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5")));
        out.add(mount("/dev/mqueue", "mqueue", "mqueue", List.of("nosuid", "noexec", "nodev")));
        out.add(mount("/sys", "sysfs", "sysfs", List.of("nosuid", "noexec", "nodev", "ro")));
        out.add(mount("/sys/fs/cgroup", "cgroup", "cgroup", List.of("rprivate", "nosuid", "noexec", "nodev", "relatime", "ro")));
        for (MountSpec m : own) {
            out.add(mount(m.destination(), m.type(), m.source(), m.options()));
        }
        return out;
    }

    private static Map<String, Object> mount(String dest, String type, String source, List<String> options) {
        return new JsonObject().put("destination", dest).put("type", type).put("source", source).put("options", options).asMap();
    }

    /** libpod's ContainerState for berth's state (libpod writes zero times, and omits zero numbers). */
    static JsonObject state(Container container, DbConfig db) {
        ContainerState s = container.state();
        JsonObject o = new JsonObject().put("state", PodmanRecords.code(s.status()));
        o.put("runDir", runDir(container.config(), db));
        o.put("startedTime", time(s.startedAt())).put("finishedTime", time(s.finishedAt()));
        if (s.exitCode() != 0) {
            o.put("exitCode", s.exitCode());
        }
        if (s.exited()) {
            o.put("exited", true);
        }
        if (s.oomKilled()) {
            o.put("oomKilled", true);
        }
        if (s.pid() != 0) {
            o.put("pid", s.pid());
        }
        if (s.conmonPid() != 0) {
            o.put("conmonPid", s.conmonPid());
        }
        if (s.stoppedByUser()) {
            o.put("stoppedByUser", true);
        }
        if (s.restartPolicyMatch()) {
            o.put("restartPolicyMatch", true);
        }
        if (s.restartCount() != 0) {
            o.put("restartCount", s.restartCount());
        }
        Map<String, Object> service = new LinkedHashMap<>();
        service.put("servicePods", null);
        o.put("Service", service).put("checkpointedTime", ZERO_TIME).put("restoredTime", ZERO_TIME);
        return o;
    }

    /** libpod's state {@code s} (podman's record) with berth's lifecycle fields written over it. */
    static JsonObject overlay(JsonObject s, ContainerState st) {
        Map<String, Object> m = new LinkedHashMap<>(s.asMap());
        m.put("state", PodmanRecords.code(st.status()));
        putOrDrop(m, "pid", st.pid());
        putOrDrop(m, "conmonPid", st.conmonPid());
        putOrDrop(m, "exitCode", st.exitCode());
        putOrDrop(m, "restartCount", st.restartCount());
        putOrDrop(m, "exited", st.exited());
        putOrDrop(m, "oomKilled", st.oomKilled());
        putOrDrop(m, "stoppedByUser", st.stoppedByUser());
        m.put("startedTime", time(st.startedAt()));
        m.put("finishedTime", time(st.finishedAt()));
        return new JsonObject(m);
    }

    /** libpod's omitempty: a zero number or false is left out. */
    private static void putOrDrop(Map<String, Object> m, String key, Object v) {
        if (v instanceof Integer i && i == 0 || Boolean.FALSE.equals(v)) {
            m.remove(key);
        } else {
            m.put(key, v);
        }
    }

    /**
     * berth's state with what libpod's state says overlaid: podman may have started, stopped or
     * reaped the container since berth wrote it. When berth wrote last, both agree.
     */
    static ContainerState merge(ContainerState berth, JsonObject libpod) {
        if (libpod == null) {
            return berth;
        }
        ContainerStatus status = PodmanRecords.status(libpod.lng("state", PodmanRecords.code(berth.status())));
        return berth.toBuilder().status(status).pid(libpod.integer("pid", 0)).conmonPid(libpod.integer("conmonPid", 0))
                .exitCode(libpod.integer("exitCode", 0)).exited(libpod.bool("exited", false))
                .oomKilled(libpod.bool("oomKilled", false)).startedAt(PodmanRecords.time(libpod.str("startedTime")))
                .finishedAt(PodmanRecords.time(libpod.str("finishedTime"))).build();
    }

    /** Go's RFC 3339 with nanoseconds; null is Go's zero time. */
    static String time(Instant t) {
        return t == null ? ZERO_TIME : RFC3339_NANO.format(t);
    }
}
