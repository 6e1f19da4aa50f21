package berth.cli;

import berth.engine.Engine;
import berth.engine.EngineConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code info --format TEMPLATE}: podman's field names (define.Info: Host, Store, Registries,
 * Version, Plugins) so that podman's templates ({@code {{.Host.LogDriver}}},
 * {@code {{.Store.RunRoot}}}, {@code {{ .Host.OCIRuntime.Name }}}) read the same here.
 */
final class InfoReport {
    private InfoReport() {
    }

    static Map<String, Object> of(Engine e, String version) {
        EngineConfig c = e.config();
        Map<String, Object> host = new LinkedHashMap<>();
        host.put("Arch", goArch(System.getProperty("os.arch")));
        host.put("OS", "linux");
        host.put("Kernel", System.getProperty("os.version"));
        host.put("Hostname", hostname());
        host.put("LogDriver", "k8s-file");
        host.put("EventLogger", first(c.engineOptions().get("events_logger"), "file"));
        host.put("NetworkBackend", e.networkBackend());
        host.put("CgroupManager", "cgroupfs");
        host.put("CgroupsVersion", java.nio.file.Files.exists(java.nio.file.Path.of("/sys/fs/cgroup/cgroup.controllers")) ? "v2" : "v1");
        Map<String, Object> rt = e.runtimeInfo(null);
        Map<String, Object> oci = new LinkedHashMap<>();
        oci.put("Name", c.runtime());
        oci.put("Path", rt.getOrDefault("path", ""));
        oci.put("Version", rt.getOrDefault("version", ""));
        oci.put("Package", "");
        host.put("OCIRuntime", oci);
        Map<String, Object> conmon = new LinkedHashMap<>();
        conmon.put("Path", rt.getOrDefault("conmonPath", rt.getOrDefault("conmon", "")));
        conmon.put("Version", rt.getOrDefault("conmonVersion", ""));
        conmon.put("Package", "");
        host.put("Conmon", conmon);
        host.put("Security", Map.of("Rootless", false));

        Map<String, Object> store = new LinkedHashMap<>();
        store.put("GraphRoot", c.root().toString());
        store.put("RunRoot", c.runRoot().toString());
        store.put("GraphDriverName", c.storageOptions().getOrDefault("driver", "overlay"));
        store.put("VolumePath", c.root().resolve("volumes").toString());
        store.put("ConfigFile", c.configFile() == null ? "" : c.configFile().toString());

        Map<String, Object> ver = new LinkedHashMap<>();
        ver.put("Version", version);
        ver.put("APIVersion", version);
        ver.put("GoVersion", "java" + System.getProperty("java.version"));
        ver.put("OsArch", "linux/" + goArch(System.getProperty("os.arch")));

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("Host", host);
        out.put("Store", store);
        out.put("Registries", Map.of("search", List.of()));
        out.put("Plugins", Map.of("Volume", List.of("local"), "Network", List.of("bridge"), "Log", List.of("k8s-file", "none")));
        out.put("Version", ver);
        return out;
    }

    private static String goArch(String javaArch) {
        return switch (javaArch) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64" -> "arm64";
            default -> javaArch;
        };
    }

    private static String hostname() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/kernel/hostname")).strip();
        } catch (java.io.IOException e) {
            return "";
        }
    }

    private static String first(List<String> l, String dflt) {
        return l == null || l.isEmpty() ? dflt : l.get(0);
    }
}
