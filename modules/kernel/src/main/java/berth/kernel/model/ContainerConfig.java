package berth.kernel.model;

import berth.kernel.json.JsonObject;
import berth.kernel.json.JsonWritable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The immutable configuration of a container, fixed at create time (libpod ContainerConfig).
 * Serialised with an explicit codec ({@link #toJson}, {@link #fromJson}) so the on-disk format is
 * stable and readable by every state backend.
 *
 * <p>{@code createCommand} is the command line that made the container (libpod's os.Args);
 * {@code capabilities} the process's capability set (empty in records older than the field: the
 * engine's default); {@code rlimits} the spec's rlimits, empty for none ({@code --ulimit host}),
 * null when nothing configured them (the engine's own defaults apply where the spec is written); {@code seccompFilter} the file holding the spec's
 * {@code linux.seccomp} as JSON text, translated at create time (podman keeps the translated profile
 * in its spec, so a later change of the profile file does not change the container), null for none.
 * The config names the file rather than holding the 8 KB: every read of a record would parse it.
 * {@code privileged}: podman's --privileged (every capability, no seccomp filter, no masked or
 * read-only paths, /sys writable, the host's devices); the spec is written from it at each start.
 * {@code settings}: the other flags that shape the spec and the /etc files ({@link SpecSettings}).
 */
public record ContainerConfig(
        String id,
        String name,
        String rootfs,
        List<String> command,
        List<String> env,
        String workingDir,
        String user,
        String hostname,
        boolean terminal,
        boolean stdin,
        Map<String, String> labels,
        Map<String, String> annotations,
        List<MountSpec> mounts,
        NetworkSpec network,
        RestartPolicy restartPolicy,
        int stopSignal,
        int stopTimeout,
        String logDriver,
        String logPath,
        String runtime,
        Resources resources,
        List<String> dependencies,
        boolean autoRemove,
        List<String> hooksDirs,
        Instant createdAt,
        String image,
        String imageId,
        List<String> createCommand,
        List<String> capabilities,
        List<Rlimit> rlimits,
       String seccompFilter,
        int timeout,
        int preserveFds,
        long logSizeMax,
        boolean privileged,
        SpecSettings settings) implements JsonWritable {

    public ContainerConfig {
        command = List.copyOf(command);
        env = List.copyOf(env);
        labels = Map.copyOf(labels);
        annotations = Map.copyOf(annotations);
        mounts = List.copyOf(mounts);
        dependencies = List.copyOf(dependencies);
        hooksDirs = List.copyOf(hooksDirs);
        image = image == null ? "" : image;
        imageId = imageId == null ? "" : imageId;
        createCommand = createCommand == null ? List.of() : List.copyOf(createCommand);
        capabilities = capabilities == null ? List.of() : List.copyOf(capabilities);
        rlimits = rlimits == null ? null : List.copyOf(rlimits);
        settings = settings == null ? SpecSettings.NONE : settings;
    }

    /** True when the root filesystem comes from an image store (mounted at init) rather than a {@code --rootfs} directory. */
    public boolean fromImage() {
        return !imageId.isEmpty();
    }

    public String shortId() {
        return id.length() > 12 ? id.substring(0, 12) : id;
    }

    @Override
    public Object toJson() {
        JsonObject o = new JsonObject();
        o.put("id", id).put("name", name).put("rootfs", rootfs).put("command", command).put("env", env)
                .put("workingDir", workingDir).put("user", user).put("hostname", hostname)
                .put("terminal", terminal).put("stdin", stdin).put("labels", labels).put("annotations", annotations);
        List<Object> ms = new ArrayList<>();
        for (MountSpec m : mounts) {
            ms.add(new JsonObject().put("type", m.type()).put("source", m.source())
                    .put("destination", m.destination()).put("options", m.options()).asMap());
        }
        o.put("mounts", ms);
        List<Object> ps = new ArrayList<>();
        for (PortMapping p : network.ports()) {
            ps.add(new JsonObject().put("hostIp", p.hostIp()).put("hostPort", p.hostPort())
                    .put("containerPort", p.containerPort()).put("protocol", p.protocol()).asMap());
        }
        o.put("network", new JsonObject().put("mode", network.mode()).put("networks", network.networks())
                .put("options", network.options()).put("ports", ps).asMap());
        o.put("restartPolicy", restartPolicy.kind().text()).put("restartRetries", restartPolicy.maxRetries())
                .put("stopSignal", stopSignal).put("stopTimeout", stopTimeout)
                .put("logDriver", logDriver).put("logPath", logPath).put("runtime", runtime)
                .put("resources", new JsonObject().put("memory", resources.memoryBytes())
                        .put("nanoCpus", resources.nanoCpus()).put("pidsLimit", resources.pidsLimit()).asMap())
                .put("dependencies", dependencies).put("autoRemove", autoRemove).put("hooksDirs", hooksDirs)
                .put("createdAt", createdAt == null ? null : Timestamps.format(createdAt));
        if (fromImage()) {
            o.put("image", image).put("imageId", imageId);
        }
        if (!createCommand.isEmpty()) {
            o.put("createCommand", createCommand);
        }
        if (!capabilities.isEmpty()) {
            o.put("capabilities", capabilities);
        }
        if (rlimits != null) {
            List<Object> rl = new ArrayList<>();
            for (Rlimit r : rlimits) {
                rl.add(new JsonObject().put("type", r.type()).put("hard", r.hard()).put("soft", r.soft()).asMap());
            }
            o.put("rlimits", rl);
        }
        o.put("seccompFilter", seccompFilter);
        if (timeout > 0) {
            o.put("timeout", timeout);
        }
        if (preserveFds > 0) {
            o.put("preserveFds", preserveFds);
        }
        if (logSizeMax > 0) {
            o.put("logSizeMax", logSizeMax);
        }
        if (privileged) {
            o.put("privileged", true);
        }
        if (!settings.isDefault()) {
            o.put("settings", settings.toJson());
        }
        return o.asMap();
    }

    public static ContainerConfig fromJson(JsonObject o) {
        List<MountSpec> mounts = new ArrayList<>();
        for (JsonObject m : o.objects("mounts")) {
            mounts.add(new MountSpec(m.str("type", "bind"), m.str("source"), m.str("destination"), m.strings("options")));
        }
        JsonObject n = o.obj("network");
        NetworkSpec net = NetworkSpec.NONE;
        if (n != null) {
            List<PortMapping> ports = new ArrayList<>();
            for (JsonObject p : n.objects("ports")) {
                ports.add(new PortMapping(p.str("hostIp", ""), p.integer("hostPort", 0), p.integer("containerPort", 0), p.str("protocol", "tcp")));
            }
            net = new NetworkSpec(n.str("mode", "none"), n.strings("networks"), n.stringMap("options"), ports);
        }
        JsonObject r = o.obj("resources");
        Resources res = r == null ? Resources.NONE : new Resources(r.lng("memory", 0), r.lng("nanoCpus", 0), r.lng("pidsLimit", 0));
        RestartPolicy.Kind kind = RestartPolicy.parse(o.str("restartPolicy", "no")).kind();
        String created = o.str("createdAt");
        List<Rlimit> rlimits = null;
        if (o.has("rlimits")) {
            rlimits = new ArrayList<>();
            for (JsonObject rl : o.objects("rlimits")) {
                rlimits.add(new Rlimit(rl.str("type"), rl.lng("hard", 0), rl.lng("soft", 0)));
            }
        }
        return new ContainerConfig(o.str("id"), o.str("name"), o.str("rootfs"), o.strings("command"), o.strings("env"),
                o.str("workingDir"), o.str("user"), o.str("hostname"), o.bool("terminal", false), o.bool("stdin", false),
                o.stringMap("labels"), o.stringMap("annotations"), mounts, net,
                new RestartPolicy(kind, kind == RestartPolicy.Kind.ON_FAILURE ? o.integer("restartRetries", 0) : 0),
                o.integer("stopSignal", 15), o.integer("stopTimeout", 10), o.str("logDriver", "k8s-file"),
                o.str("logPath"), o.str("runtime"), res, o.strings("dependencies"), o.bool("autoRemove", false),
                o.strings("hooksDirs"), created == null ? null : Timestamps.parse(created), o.str("image", ""), o.str("imageId", ""),
                o.strings("createCommand"), o.strings("capabilities"), rlimits, o.str("seccompFilter"),
                o.integer("timeout", 0), o.integer("preserveFds", 0), o.lng("logSizeMax", 0), o.bool("privileged", false),
                SpecSettings.fromJson(o.obj("settings")));
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds a config; every field has podman's default. */
    public static final class Builder {
        private String id;
        private String name;
        private String rootfs;
        private List<String> command = List.of();
        private List<String> env = List.of();
        private String workingDir = "/";
        private String user = "";
        private String hostname = "";
        private boolean terminal;
        private boolean stdin;
        private Map<String, String> labels = new LinkedHashMap<>();
        private Map<String, String> annotations = new LinkedHashMap<>();
        private List<MountSpec> mounts = new ArrayList<>();
        private NetworkSpec network = NetworkSpec.NONE;
        private RestartPolicy restartPolicy = RestartPolicy.NO;
        private int stopSignal = 15;
        private int stopTimeout = 10;
        private String logDriver = "k8s-file";
        private String logPath;
        private String runtime;
        private Resources resources = Resources.NONE;
        private List<String> dependencies = List.of();
        private boolean autoRemove;
        private List<String> hooksDirs = List.of();
        private Instant createdAt;
        private String image = "";
        private String imageId = "";
        private List<String> createCommand = List.of();
        private List<String> capabilities = List.of();
        private List<Rlimit> rlimits;
        private String seccompFilter;
        private int timeout;
        private int preserveFds;
        private long logSizeMax;
        private boolean privileged;
        private SpecSettings settings = SpecSettings.NONE;

        private Builder() {
        }

        private Builder(ContainerConfig c) {
            id = c.id; name = c.name; rootfs = c.rootfs; command = c.command; env = c.env; workingDir = c.workingDir;
            user = c.user; hostname = c.hostname; terminal = c.terminal; stdin = c.stdin; labels = c.labels;
            annotations = c.annotations; mounts = c.mounts; network = c.network; restartPolicy = c.restartPolicy;
            stopSignal = c.stopSignal; stopTimeout = c.stopTimeout; logDriver = c.logDriver; logPath = c.logPath;
            runtime = c.runtime; resources = c.resources; dependencies = c.dependencies; autoRemove = c.autoRemove;
            hooksDirs = c.hooksDirs; createdAt = c.createdAt; image = c.image; imageId = c.imageId;
            createCommand = c.createCommand; capabilities = c.capabilities; rlimits = c.rlimits; seccompFilter = c.seccompFilter;
            timeout = c.timeout;
            preserveFds = c.preserveFds;
            logSizeMax = c.logSizeMax;
            privileged = c.privileged;
            settings = c.settings;
        }

        public Builder id(String v) { id = v; return this; }
        public Builder name(String v) { name = v; return this; }
        public Builder rootfs(String v) { rootfs = v; return this; }
        public Builder command(List<String> v) { command = v; return this; }
        public Builder env(List<String> v) { env = v; return this; }
        public Builder workingDir(String v) { workingDir = v; return this; }
        public Builder user(String v) { user = v; return this; }
        public Builder hostname(String v) { hostname = v; return this; }
        public Builder terminal(boolean v) { terminal = v; return this; }
        public Builder stdin(boolean v) { stdin = v; return this; }
        public Builder labels(Map<String, String> v) { labels = v; return this; }
        public Builder annotations(Map<String, String> v) { annotations = v; return this; }
        public Builder mounts(List<MountSpec> v) { mounts = v; return this; }
        public Builder network(NetworkSpec v) { network = v; return this; }
        public Builder restartPolicy(RestartPolicy v) { restartPolicy = v; return this; }
        public Builder stopSignal(int v) { stopSignal = v; return this; }
        public Builder stopTimeout(int v) { stopTimeout = v; return this; }
        public Builder logDriver(String v) { logDriver = v; return this; }
        public Builder logPath(String v) { logPath = v; return this; }
        public Builder runtime(String v) { runtime = v; return this; }
        public Builder resources(Resources v) { resources = v; return this; }
        public Builder dependencies(List<String> v) { dependencies = v; return this; }
        public Builder autoRemove(boolean v) { autoRemove = v; return this; }
        public Builder hooksDirs(List<String> v) { hooksDirs = v; return this; }
        public Builder createdAt(Instant v) { createdAt = v; return this; }
        public Builder image(String name, String id) { image = name; imageId = id; return this; }
        public Builder createCommand(List<String> v) { createCommand = v; return this; }
        public Builder capabilities(List<String> v) { capabilities = v; return this; }
        public Builder rlimits(List<Rlimit> v) { rlimits = v; return this; }
        public Builder seccompFilter(String v) { seccompFilter = v; return this; }
        /** podman's {@code --timeout}: seconds before conmon kills the container, 0 for none. */
        public Builder timeout(int v) { timeout = v; return this; }
        /** podman's {@code --preserve-fds}: descriptors 3 to 3+N-1 of the starting process reach the container. */
        public Builder preserveFds(int v) { preserveFds = v; return this; }
        /** {@code --log-opt max-size}: bytes of log before conmon rotates it, 0 for no limit. */
        public Builder logSizeMax(long v) { logSizeMax = v; return this; }
        public Builder privileged(boolean v) { privileged = v; return this; }
        public Builder settings(SpecSettings v) { settings = v; return this; }

        public ContainerConfig build() {
            return new ContainerConfig(id, name, rootfs, command, env, workingDir, user, hostname, terminal, stdin,
                    labels, annotations, mounts, network, restartPolicy, stopSignal, stopTimeout, logDriver, logPath,
                    runtime, resources, dependencies, autoRemove, hooksDirs, createdAt, image, imageId, createCommand, capabilities,
                    rlimits, seccompFilter, timeout, preserveFds, logSizeMax, privileged, settings);
        }
    }
}
