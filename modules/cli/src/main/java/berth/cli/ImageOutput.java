package berth.cli;

import berth.kernel.json.Json;
import berth.kernel.model.ImageConfig;
import berth.kernel.model.ImageInfo;
import berth.kernel.model.Timestamps;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code images} rows and {@code image inspect} documents in podman's shapes. */
final class ImageOutput {
    private ImageOutput() {
    }

    /** One row per name (a dangling image gets one {@code <none>} row), as podman's images lists them. */
    static List<Map<String, Object>> rows(List<ImageInfo> images, boolean noTrunc, Map<String, Integer> containers) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (ImageInfo i : images) {
            List<String> names = i.names().isEmpty() ? List.of("<none>:<none>") : i.names();
            for (String n : names) {
                Map<String, Object> r = new LinkedHashMap<>();
                int colon = n.lastIndexOf(':');
                boolean hasTag = colon > n.lastIndexOf('/');
                r.put("Repository", hasTag ? n.substring(0, colon) : n);
                r.put("Tag", hasTag ? n.substring(colon + 1) : "<none>");
                r.put("ID", noTrunc ? "sha256:" + i.id() : i.shortId());
                r.put("Id", i.id());
                r.put("Digest", i.digest());
                r.put("Created", Output.ago(i.created()));
                r.put("CreatedSince", Output.ago(i.created()));
                r.put("CreatedAt", i.created() == null ? "" : Timestamps.format(i.created()));
                r.put("Size", Sizes.human(i.size()));
                r.put("Names", i.names());
                r.put("Labels", i.config().labels());
                r.put("Containers", containers.getOrDefault(i.id(), 0));
                r.put("Dangling", i.dangling());
                r.put("ReadOnly", false);
                out.add(r);
            }
        }
        return out;
    }

    /** podman's {@code images --format json}: one object per image. */
    static Map<String, Object> json(ImageInfo i, int containers) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Id", i.id());
        m.put("ParentId", "");
        m.put("RepoTags", i.names());
        m.put("RepoDigests", i.repoDigests());
        m.put("Size", i.size());
        m.put("SharedSize", 0);
        m.put("VirtualSize", i.size());
        m.put("Labels", i.config().labels());
        m.put("Containers", containers);
        m.put("Names", i.names());
        m.put("Digest", i.digest());
        m.put("Created", i.created() == null ? 0 : i.created().getEpochSecond());
        m.put("CreatedAt", i.created() == null ? "" : Timestamps.format(i.created()));
        m.put("Dangling", i.dangling());
        return m;
    }

    /** podman's {@code image inspect} document. */
    static Map<String, Object> inspect(ImageInfo i, String driver) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Id", i.id());
        m.put("Digest", i.digest());
        m.put("RepoTags", i.names());
        m.put("RepoDigests", i.repoDigests());
        m.put("Parent", "");
        m.put("Comment", "");
        m.put("Created", i.created() == null ? "0001-01-01T00:00:00Z" : Timestamps.format(i.created()));
        ImageConfig c = i.config();
        Map<String, Object> cfg = new LinkedHashMap<>();
        if (!c.user().isEmpty()) {
            cfg.put("User", c.user());
        }
        if (!c.exposedPorts().isEmpty()) {
            Map<String, Object> ports = new LinkedHashMap<>();
            c.exposedPorts().forEach(p -> ports.put(p, Map.of()));
            cfg.put("ExposedPorts", ports);
        }
        cfg.put("Env", c.env());
        if (!c.entrypoint().isEmpty()) {
            cfg.put("Entrypoint", c.entrypoint());
        }
        cfg.put("Cmd", c.cmd());
        if (!c.volumes().isEmpty()) {
            Map<String, Object> vols = new LinkedHashMap<>();
            c.volumes().forEach(v -> vols.put(v, Map.of()));
            cfg.put("Volumes", vols);
        }
        if (!c.workingDir().isEmpty()) {
            cfg.put("WorkingDir", c.workingDir());
        }
        cfg.put("Labels", c.labels());
        if (!c.stopSignal().isEmpty()) {
            cfg.put("StopSignal", c.stopSignal());
        }
        m.put("Config", cfg);
        m.put("Version", "");
        m.put("Author", i.author());
        m.put("Architecture", i.architecture());
        m.put("Os", i.os());
        m.put("Size", i.size());
        m.put("VirtualSize", i.size());
        m.put("GraphDriver", Map.of("Name", driver, "Data", Map.of()));
        m.put("RootFS", Map.of("Type", "layers", "Layers", i.layers()));
        m.put("Labels", c.labels());
        m.put("Annotations", Map.of());
        m.put("ManifestType", i.manifestType() == null ? "" : i.manifestType());
        m.put("User", c.user());
        m.put("History", List.of());
        m.put("NamesHistory", i.names());
        return m;
    }

    static String json(Object value) {
        return Json.write(value, true);
    }
}
