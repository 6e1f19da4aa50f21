package berth.engine.internal;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.model.ContainerConfig;
import berth.kernel.model.SpecSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes what {@link SpecSettings} asks for into a spec that {@link SpecGenerator} built, as podman's
 * spec generation does: the capability sets (by whether the process runs as root), a read-only root
 * with its tmpfs, sysctls, devices with their cgroup rules, supplementary groups and the size of
 * /dev/shm. The /etc files' part (hosts, DNS) is {@link EtcFiles}'.
 */
final class SpecSettingsApplier {
    private static final List<String> READ_ONLY_TMPFS = List.of("/run", "/tmp", "/var/tmp");
    /** Where {@code --init}'s binary appears in the container, as podman puts it. */
    static final String INIT_DESTINATION = "/run/podman-init";

    private SpecSettingsApplier() {
    }

    /**
     * The process's capability sets: root gets the container's set as bounding, effective and
     * permitted; another user keeps only what {@code --cap-add} named, in every set but bounding
     * (ambient too, so it survives the exec), as podman 4 gives it. Inheritable stays empty
     * otherwise (CVE-2022-27649).
     */
    static Map<String, Object> capabilities(ContainerConfig c, long uid) {
        List<String> bounding = c.capabilities().isEmpty() ? SpecGenerator.DEFAULT_CAPS : c.capabilities();
        Map<String, Object> caps = new LinkedHashMap<>();
        caps.put("bounding", bounding);
        if (uid == 0) {
            caps.put("effective", bounding);
            caps.put("permitted", bounding);
            return caps;
        }
        List<String> kept = CapabilitySets.forNonRoot(CapabilitySets.canonical(c.settings().capAdd()), bounding);
        caps.put("effective", kept);
        caps.put("permitted", kept);
        if (!kept.isEmpty()) {
            caps.put("inheritable", kept);
            caps.put("ambient", kept);
        }
        return caps;
    }

    /** Everything but the capabilities and the /etc files, written into the spec's parts. */
    static void apply(ContainerConfig c, Map<String, Object> process, Map<String, Object> root, Map<String, Object> linux,
                      List<Map<String, Object>> mounts, Map<String, Object> resources) {
        SpecSettings s = c.settings();
        if (s.isDefault()) {
            return;
        }
        if (s.hostNamespaces().contains("ipc")) {
            // the host's ipc namespace goes with the host's /dev/shm, as podman binds it
            for (Map<String, Object> m : mounts) {
                if ("/dev/shm".equals(m.get("destination"))) {
                    m.put("type", "bind");
                    m.put("source", "/dev/shm");
                    m.put("options", List.of("rbind", "nosuid", "noexec", "nodev"));
                }
            }
        }
        if (s.init()) {
            // podman's --init: the binary bind-mounted read-only, running the command as its child
            mounts.add(SpecGenerator.mount(INIT_DESTINATION, "bind", s.initPath(), List.of("bind", "ro", "rprivate")));
            List<Object> args = new ArrayList<>(List.of(INIT_DESTINATION, "--"));
            args.addAll((List<?>) process.get("args"));
            process.put("args", args);
        }
        if (s.readOnlyRootfs()) {
            root.put("readonly", true);
            if (s.readOnlyTmpfs()) {
                for (String dest : READ_ONLY_TMPFS) {
                    if (mounts.stream().noneMatch(m -> dest.equals(m.get("destination")))) {
                        mounts.add(SpecGenerator.mount(dest, "tmpfs", "tmpfs", List.of("rw", "rprivate", "nosuid", "nodev", "tmpcopyup")));
                    }
                }
            }
        }
        if (!s.sysctls().isEmpty()) {
            linux.put("sysctl", new java.util.TreeMap<>(s.sysctls()));
        }
        if (!s.devices().isEmpty()) {
            devices(c, s.devices(), linux, resources);
        }
        if (!s.groupAdd().isEmpty()) {
            @SuppressWarnings("unchecked")
            Map<String, Object> user = (Map<String, Object>) process.get("user");
            List<Long> gids = UserResolver.supplementaryGroups(Path.of(c.rootfs()), s.groupAdd(), c.name());
            if (!gids.isEmpty()) {
                user.put("additionalGids", gids);
            }
        }
        if (s.shmSize() > 0) {
            for (Map<String, Object> m : mounts) {
                if ("/dev/shm".equals(m.get("destination")) && "tmpfs".equals(m.get("type"))) {
                    List<String> opts = new ArrayList<>();
                    for (Object o : (List<?>) m.get("options")) {
                        if (!o.toString().startsWith("size=")) {
                            opts.add(o.toString());
                        }
                    }
                    opts.add("size=" + Math.max(1, s.shmSize() / 1024) + "k");
                    m.put("options", opts);
                }
            }
        }
    }

    /** Each {@code --device} node as the host has it (links followed), and a cgroup rule allowing it. */
    private static void devices(ContainerConfig c, List<SpecSettings.DeviceSpec> devices, Map<String, Object> linux,
                                Map<String, Object> resources) {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> specDevices = new ArrayList<>((List<Map<String, Object>>) linux.getOrDefault("devices", List.of()));
        @SuppressWarnings("unchecked")
        List<Object> rules = new ArrayList<>((List<Object>) resources.getOrDefault("devices", List.of()));
        for (SpecSettings.DeviceSpec d : devices) {
            Map<String, Object> node;
            try {
                node = Privileged.device(Path.of(d.hostPath()).toRealPath());
            } catch (IOException e) {
                node = null;
            }
            if (node == null) {
                throw new BerthException(ErrorCode.INVALID_ARGUMENT, "container " + c.name() + ": --device " + d.hostPath()
                        + ": not a device node on this host");
            }
            Map<String, Object> inside = new LinkedHashMap<>(node);
            inside.put("path", d.containerPath());
            specDevices.removeIf(x -> d.containerPath().equals(x.get("path")));
            specDevices.add(inside);
            Map<String, Object> rule = new LinkedHashMap<>();
            rule.put("allow", true);
            rule.put("type", node.get("type"));
            rule.put("major", node.get("major"));
            rule.put("minor", node.get("minor"));
            rule.put("access", d.permissions());
            rules.add(rule);
        }
        linux.put("devices", specDevices);
        resources.put("devices", rules);
    }
}
