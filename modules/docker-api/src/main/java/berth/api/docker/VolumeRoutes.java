package berth.api.docker;

import berth.engine.Engine;
import berth.kernel.json.JsonObject;
import berth.kernel.model.Timestamps;
import berth.kernel.model.Volume;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The volume endpoints over the engine's named volumes. */
final class VolumeRoutes {
    private final Engine engine;

    VolumeRoutes(Engine engine) {
        this.engine = engine;
    }

    void register(Router r) {
        r.add(Route.of("GET", "/volumes", (x, p) -> list(x)));
        r.add(Route.of("POST", "/volumes/create", (x, p) -> create(x)));
        r.add(Route.of("POST", "/volumes/prune", (x, p) -> prune(x)));
        r.add(Route.of("GET", "/volumes/{name}", (x, p) -> x.sendJson(200, json(engine.volumes().get(p[0])))));
        r.add(Route.of("DELETE", "/volumes/{name}", (x, p) -> {
            engine.volumes().remove(p[0], x.flag("force", false), null);
            x.sendEmpty(204);
        }));
    }

    private void list(Exchange x) {
        Map<String, List<String>> filters = x.filters();
        Set<String> inUse = engine.volumes().inUse();
        List<Object> out = new ArrayList<>();
        for (Volume v : engine.volumes().list()) {
            if (matches(v, filters, inUse)) {
                out.add(json(v));
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Volumes", out);
        m.put("Warnings", List.of());
        x.sendJson(200, m);
    }

    private static boolean matches(Volume v, Map<String, List<String>> filters, Set<String> inUse) {
        for (Map.Entry<String, List<String>> f : filters.entrySet()) {
            for (String value : f.getValue()) {
                boolean ok;
                switch (f.getKey()) {
                    case "name":
                        ok = v.name().contains(value);
                        break;
                    case "label":
                        ok = Filters.labelMatches(value, v.labels());
                        break;
                    case "driver":
                        ok = v.driver().equals(value);
                        break;
                    case "dangling":
                        ok = inUse.contains(v.name()) != (value.equals("true") || value.equals("1"));
                        break;
                    default:
                        throw ApiError.badRequest("invalid filter '" + f.getKey() + "'");
                }
                if (!ok) {
                    return false;
                }
            }
        }
        return true;
    }

    private void create(Exchange x) throws Exception {
        JsonObject b = x.json();
        String name = b.str("Name", "");
        if (!name.isEmpty() && engine.volumes().exists(name)) {
            // Docker returns the existing volume
            x.sendJson(201, json(engine.volumes().get(name)));
            return;
        }
        String driver = b.str("Driver", "");
        Volume v = engine.volumes().create(name, driver.isEmpty() ? Volume.LOCAL : driver, b.stringMap("DriverOpts"), b.stringMap("Labels"));
        x.sendJson(201, json(v));
    }

    private void prune(Exchange x) {
        Map<String, List<String>> filters = x.filters();
        List<String> deleted = engine.volumes().prune(v -> matches(v, withoutDangling(filters), Set.of()));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("VolumesDeleted", deleted);
        m.put("SpaceReclaimed", 0);
        x.sendJson(200, m);
    }

    private static Map<String, List<String>> withoutDangling(Map<String, List<String>> filters) {
        Map<String, List<String>> f = new LinkedHashMap<>(filters);
        f.remove("dangling");
        f.remove("all");
        return f;
    }

    static Map<String, Object> json(Volume v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Name", v.name());
        m.put("Driver", v.driver());
        m.put("Mountpoint", v.mountpoint());
        m.put("CreatedAt", v.createdAt() == null ? "0001-01-01T00:00:00Z" : Timestamps.format(v.createdAt()));
        m.put("Labels", v.labels());
        m.put("Scope", "local");
        m.put("Options", v.options());
        return m;
    }
}
