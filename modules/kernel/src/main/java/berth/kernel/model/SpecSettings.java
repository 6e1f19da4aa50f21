package berth.kernel.model;

import berth.kernel.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * podman's run flags that shape a container's spec and its /etc files, as validated values:
 * {@code capAdd}/{@code capDrop} ({@code --cap-add}/{@code --cap-drop}, canonical {@code CAP_X} names
 * or {@code ALL}; the resulting set is the config's capabilities, and a non-root process gets the
 * added ones as its effective, permitted, inheritable and ambient sets, as podman gives them),
 * {@code readOnlyRootfs} ({@code --read-only}, with tmpfs on /run, /tmp and /var/tmp unless
 * {@code readOnlyTmpfs} is false), {@code extraHosts} ({@code --add-host NAME:IP}),
 * {@code dnsServers}/{@code dnsSearch}/{@code dnsOptions} ({@code --dns}, {@code --dns-search},
 * {@code --dns-option}: they replace the host's in resolv.conf), {@code sysctls}
 * ({@code --sysctl}), {@code devices} ({@code --device HOST[:CONTAINER][:PERMISSIONS]}),
 * {@code groupAdd} ({@code --group-add}, names resolved in the container's /etc/group at each start)
 * and {@code shmSize} ({@code --shm-size}, bytes; 0 for podman's 64 MiB); {@code init}
 * ({@code --init}: an init process, {@code initPath} on the host, runs the command as PID 1's child;
 * the path is fixed at create); {@code hostNamespaces} ({@code --pid host}, {@code --ipc host},
 * {@code --uts host}: the host's pid, ipc or uts namespace in place of one of its own).
 */
public record SpecSettings(
        List<String> capAdd,
        List<String> capDrop,
        boolean readOnlyRootfs,
        boolean readOnlyTmpfs,
        List<String> extraHosts,
        List<String> dnsServers,
        List<String> dnsSearch,
        List<String> dnsOptions,
        Map<String, String> sysctls,
        List<DeviceSpec> devices,
        List<String> groupAdd,
        long shmSize,
        boolean init,
        String initPath,
        java.util.Set<String> hostNamespaces,
        boolean noHosts) {

    /** No flag given: every default. */
    public static final SpecSettings NONE = new SpecSettings(List.of(), List.of(), false, true, List.of(), List.of(), List.of(),
            List.of(), Map.of(), List.of(), List.of(), 0, false, "", java.util.Set.of(), false);

    /** {@code --device}: a host device node, where it appears in the container, and the cgroup access ("rwm"). */
    public record DeviceSpec(String hostPath, String containerPath, String permissions) {
        public String text() {
            return hostPath + ":" + containerPath + ":" + permissions;
        }

        /** podman's {@code HOST[:CONTAINER][:PERMISSIONS]}; null when the text is not of that form. */
        public static DeviceSpec parse(String text) {
            String[] p = text.split(":", -1);
            String perms = "rwm";
            String host = p[0];
            String inside = host;
            if (p.length == 2) {
                if (isPermissions(p[1])) {
                    perms = p[1];
                } else {
                    inside = p[1];
                }
            } else if (p.length == 3) {
                inside = p[1];
                perms = p[2];
            } else if (p.length > 3) {
                return null;
            }
            if (host.isEmpty() || inside.isEmpty() || !isPermissions(perms)) {
                return null;
            }
            return new DeviceSpec(host, inside, perms);
        }

        private static boolean isPermissions(String s) {
            return !s.isEmpty() && s.length() <= 3 && s.chars().allMatch(ch -> ch == 'r' || ch == 'w' || ch == 'm')
                    && s.chars().distinct().count() == s.length();
        }
    }

    public SpecSettings {
        capAdd = List.copyOf(capAdd);
        capDrop = List.copyOf(capDrop);
        extraHosts = List.copyOf(extraHosts);
        dnsServers = List.copyOf(dnsServers);
        dnsSearch = List.copyOf(dnsSearch);
        dnsOptions = List.copyOf(dnsOptions);
        sysctls = Map.copyOf(sysctls);
        devices = List.copyOf(devices);
        groupAdd = List.copyOf(groupAdd);
        initPath = initPath == null ? "" : initPath;
        hostNamespaces = hostNamespaces == null ? java.util.Set.of() : java.util.Set.copyOf(hostNamespaces);
    }

    /** Without an init process. */
    public SpecSettings(List<String> capAdd, List<String> capDrop, boolean readOnlyRootfs, boolean readOnlyTmpfs,
                        List<String> extraHosts, List<String> dnsServers, List<String> dnsSearch, List<String> dnsOptions,
                        Map<String, String> sysctls, List<DeviceSpec> devices, List<String> groupAdd, long shmSize) {
        this(capAdd, capDrop, readOnlyRootfs, readOnlyTmpfs, extraHosts, dnsServers, dnsSearch, dnsOptions, sysctls, devices,
                groupAdd, shmSize, false, "", java.util.Set.of(), false);
    }


    /** These settings with an init process ({@code --init}); {@code path} empty for the engine's default. */
    public SpecSettings withInit(boolean on, String path) {
        return new SpecSettings(capAdd, capDrop, readOnlyRootfs, readOnlyTmpfs, extraHosts, dnsServers, dnsSearch, dnsOptions,
                sysctls, devices, groupAdd, shmSize, on, path, hostNamespaces, noHosts);
    }

    /** These settings sharing the host's namespaces of the given types (pid, ipc, uts). */
    public SpecSettings withHostNamespaces(java.util.Set<String> types) {
        return new SpecSettings(capAdd, capDrop, readOnlyRootfs, readOnlyTmpfs, extraHosts, dnsServers, dnsSearch, dnsOptions,
                sysctls, devices, groupAdd, shmSize, init, initPath, types, noHosts);
    }

    /** These settings without an /etc/hosts of berth's ({@code --no-hosts}: the image's own is seen). */
    public SpecSettings withNoHosts(boolean on) {
        return new SpecSettings(capAdd, capDrop, readOnlyRootfs, readOnlyTmpfs, extraHosts, dnsServers, dnsSearch, dnsOptions,
                sysctls, devices, groupAdd, shmSize, init, initPath, hostNamespaces, on);
    }

    /**
     * No flag given. Field by field, not {@code equals(NONE)}: a record's equals is bootstrapped through
     * an invokedynamic on first use, which cost an interpreted {@code create} about 15 ms of CPU.
     */
    public boolean isDefault() {
        return capAdd.isEmpty() && capDrop.isEmpty() && !readOnlyRootfs && readOnlyTmpfs && extraHosts.isEmpty()
                && dnsServers.isEmpty() && dnsSearch.isEmpty() && dnsOptions.isEmpty() && sysctls.isEmpty() && devices.isEmpty()
                && groupAdd.isEmpty() && shmSize == 0 && !init && hostNamespaces.isEmpty() && !noHosts;
    }

    public Object toJson() {
        JsonObject o = new JsonObject();
        putIfAny(o, "capAdd", capAdd);
        putIfAny(o, "capDrop", capDrop);
        if (readOnlyRootfs) {
            o.put("readOnlyRootfs", true);
        }
        if (!readOnlyTmpfs) {
            o.put("readOnlyTmpfs", false);
        }
        putIfAny(o, "extraHosts", extraHosts);
        putIfAny(o, "dnsServers", dnsServers);
        putIfAny(o, "dnsSearch", dnsSearch);
        putIfAny(o, "dnsOptions", dnsOptions);
        if (!sysctls.isEmpty()) {
            o.put("sysctls", new LinkedHashMap<>(new java.util.TreeMap<>(sysctls)));
        }
        if (!devices.isEmpty()) {
            o.put("devices", devices.stream().map(DeviceSpec::text).toList());
        }
        putIfAny(o, "groupAdd", groupAdd);
        if (shmSize > 0) {
            o.put("shmSize", shmSize);
        }
        if (init) {
            o.put("init", true).put("initPath", initPath);
        }
        if (!hostNamespaces.isEmpty()) {
            o.put("hostNamespaces", new java.util.TreeSet<>(hostNamespaces).stream().toList());
        }
        if (noHosts) {
            o.put("noHosts", true);
        }
        return o.asMap();
    }

    /** The settings a record holds; NONE for a null object (records older than the field). */
    public static SpecSettings fromJson(JsonObject o) {
        if (o == null) {
            return NONE;
        }
        List<DeviceSpec> devices = new java.util.ArrayList<>();
        for (String d : o.strings("devices")) {
            DeviceSpec spec = DeviceSpec.parse(d);
            if (spec != null) {
                devices.add(spec);
            }
        }
        return new SpecSettings(o.strings("capAdd"), o.strings("capDrop"), o.bool("readOnlyRootfs", false),
                o.bool("readOnlyTmpfs", true), o.strings("extraHosts"), o.strings("dnsServers"), o.strings("dnsSearch"),
                o.strings("dnsOptions"), o.stringMap("sysctls"), devices, o.strings("groupAdd"), o.lng("shmSize", 0),
                o.bool("init", false), o.str("initPath", ""), new java.util.HashSet<>(o.strings("hostNamespaces")),
                o.bool("noHosts", false));
    }

    private static void putIfAny(JsonObject o, String key, List<String> values) {
        if (!values.isEmpty()) {
            o.put(key, values);
        }
    }
}
