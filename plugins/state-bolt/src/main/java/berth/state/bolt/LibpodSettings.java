package berth.state.bolt;

import berth.kernel.json.JsonObject;
import berth.kernel.model.ContainerConfig;
import berth.kernel.model.SpecSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@link SpecSettings} in libpod's records, both ways: the config's {@code dnsServer},
 * {@code dnsSearch}, {@code dnsOption}, {@code hostsAdd}, {@code groups} and {@code shmSize}, and
 * the spec's read-only root, sysctls and capability sets (podman keeps the merged set, so its
 * records give berth the set, and a non-root process's ambient set as what was added). Devices
 * stay berth's own: libpod's record keeps only the node inside the container, not the host's path.
 */
final class LibpodSettings {
    /** Where podman mounts {@code --init}'s binary, and runs the command behind it. */
    static final String INIT_DESTINATION = "/run/podman-init";
    /** podman 4.3's default /dev/shm size, as its records hold it. */
    static final long PODMAN_SHM_SIZE = 65536000L;

    private LibpodSettings() {
    }

    /** Into libpod's config: the fields podman reads when it starts the container. */
    static void writeConfig(ContainerConfig c, JsonObject config) {
        SpecSettings s = c.settings();
        config.put("shmSize", s.shmSize() > 0 ? s.shmSize() : PODMAN_SHM_SIZE);
        putIfAny(config, "dnsServer", s.dnsServers());
        putIfAny(config, "dnsSearch", s.dnsSearch());
        putIfAny(config, "dnsOption", s.dnsOptions());
        putIfAny(config, "hostsAdd", s.extraHosts());
        putIfAny(config, "groups", s.groupAdd());
    }

    /** Into libpod's spec: the read-only root, the sysctls, and a non-root user's capability sets. */
    static void writeSpec(ContainerConfig c, Map<String, Object> caps, JsonObject root, JsonObject linux) {
        SpecSettings s = c.settings();
        if (s.readOnlyRootfs()) {
            root.put("readonly", true);
        }
        if (!s.sysctls().isEmpty()) {
            linux.put("sysctl", new java.util.TreeMap<>(s.sysctls()));
        }
        if (!isRoot(c.user())) {
            @SuppressWarnings("unchecked")
            List<String> bounding = (List<String>) caps.get("bounding");
            List<String> kept = new ArrayList<>();
            for (String added : s.capAdd()) {
                String name = canonical(added);
                if (name.equals("CAP_ALL")) {
                    kept = new ArrayList<>(bounding);
                    break;
                }
                if (bounding.contains(name) && !kept.contains(name)) {
                    kept.add(name);
                }
            }
            kept.sort(null);
            caps.put("effective", kept);
            caps.put("permitted", kept);
            if (!kept.isEmpty()) {
                caps.put("inheritable", kept);
                caps.put("ambient", kept);
            }
        }
    }

    /** The spec's args: podman keeps {@code --init} there, as the init binary, "--", then the command. */
    static List<String> args(ContainerConfig c) {
        if (!c.settings().init()) {
            return c.command();
        }
        List<String> args = new ArrayList<>(List.of(INIT_DESTINATION, "--"));
        args.addAll(c.command());
        return args;
    }

    /** The command podman's spec runs, without {@code --init}'s prefix. */
    static List<String> command(JsonObject spec) {
        List<String> args = PodmanRecords.nonNull(PodmanRecords.orEmpty(spec.obj("process")).strings("args"));
        if (initPath(spec) != null && args.size() >= 2 && args.get(0).equals(INIT_DESTINATION) && args.get(1).equals("--")) {
            return args.subList(2, args.size());
        }
        return args;
    }

    /** The host's init binary a podman {@code --init} container mounts; null for none. */
    private static String initPath(JsonObject spec) {
        if (!"TRUE".equals(spec.stringMap("annotations").get("io.podman.annotations.init"))) {
            return null;
        }
        for (JsonObject m : spec.objects("mounts")) {
            if (INIT_DESTINATION.equals(m.str("destination"))) {
                return m.str("source");
            }
        }
        return null;
    }

    /** From podman's records; NONE when podman was given none of these flags. */
    static SpecSettings read(JsonObject config, JsonObject spec) {
        JsonObject process = PodmanRecords.orEmpty(spec.obj("process"));
        JsonObject caps = PodmanRecords.orEmpty(process.obj("capabilities"));
        long shm = config.lng("shmSize", 0);
        return new SpecSettings(PodmanRecords.nonNull(caps.strings("ambient")), List.of(), PodmanRecords.orEmpty(spec.obj("root")).bool("readonly", false), true,
                PodmanRecords.nonNull(config.strings("hostsAdd")), PodmanRecords.nonNull(config.strings("dnsServer")), PodmanRecords.nonNull(config.strings("dnsSearch")),
                PodmanRecords.nonNull(config.strings("dnsOption")), PodmanRecords.noNulls(PodmanRecords.orEmpty(spec.obj("linux")).stringMap("sysctl")), List.of(),
                PodmanRecords.nonNull(config.strings("groups")), shm == PODMAN_SHM_SIZE ? 0 : Math.max(0, shm))
                .withInit(initPath(spec) != null, initPath(spec)).withHostNamespaces(hostNamespaces(spec))
                .withNoHosts(config.bool("UseImageHosts", false)); // libpod's field (no JSON tag) for --no-hosts
    }

    /** pid, ipc and uts namespaces the spec leaves out: the host's (a spec without namespaces at all says nothing). */
    private static java.util.Set<String> hostNamespaces(JsonObject spec) {
        List<JsonObject> own = PodmanRecords.orEmpty(spec.obj("linux")).objects("namespaces");
        java.util.Set<String> shared = new java.util.TreeSet<>();
        if (own.isEmpty()) {
            return shared;
        }
        for (String type : List.of("pid", "ipc", "uts")) {
            if (own.stream().noneMatch(n -> type.equals(n.str("type")))) {
                shared.add(type);
            }
        }
        return shared;
    }

    /** The capability set podman merged into the spec; empty (the engine's default) when the record has none. */
    static List<String> capabilities(JsonObject spec) {
        return PodmanRecords.nonNull(PodmanRecords.orEmpty(PodmanRecords.orEmpty(spec.obj("process")).obj("capabilities")).strings("bounding"));
    }

    /** podman's test: the user flag names root, or no user at all. */
    static boolean isRoot(String user) {
        if (user == null || user.isEmpty()) {
            return true;
        }
        String u = user.contains(":") ? user.substring(0, user.indexOf(':')) : user;
        return u.equals("root") || u.equals("0");
    }

    private static String canonical(String cap) {
        return berth.kernel.model.CapabilityNames.normal(cap);
    }

    private static void putIfAny(JsonObject o, String key, List<String> values) {
        if (!values.isEmpty()) {
            o.put(key, values);
        }
    }
}
