package berth.kernel.model;

import berth.kernel.json.JsonObject;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A named volume (libpod's Volume): its fixed configuration and the one piece of mutable state berth
 * keeps, whether the next mount must copy the container's content up into it. {@link #toJson}
 * writes libpod's VolumeConfig field names and {@link #stateJson} its VolumeState ones, so the bolt
 * backend stores records podman 4.3 reads, and reads podman's.
 *
 * @param options the local driver's mount options: {@code type}, {@code device}, {@code o}
 * @param anonymous made for a bare {@code -v /path}: removed with its container by {@code rm -v}
 *     and {@code run --rm}
 * @param needsCopyUp set at create, cleared by the first mount into a container
 */
public record Volume(String name, String driver, String mountpoint, Map<String, String> labels, Map<String, String> options,
                     Instant createdAt, boolean anonymous, boolean needsCopyUp, int uid, int gid) {
    public static final String LOCAL = "local";

    public Volume {
        labels = Map.copyOf(labels == null ? Map.of() : labels);
        options = Map.copyOf(options == null ? Map.of() : options);
        driver = driver == null || driver.isEmpty() ? LOCAL : driver;
    }

    public Volume withNeedsCopyUp(boolean v) {
        return new Volume(name, driver, mountpoint, labels, options, createdAt, anonymous, v, uid, gid);
    }

    /** True when the local driver mounts something (a tmpfs, a device or a bind) at the mount point. */
    public boolean mountsSomething() {
        return options.containsKey("type") || options.containsKey("device");
    }

    /** libpod's VolumeConfig JSON. */
    public Map<String, Object> toJson() {
        JsonObject o = new JsonObject();
        o.put("name", name).put("lockID", 0).put("labels", new LinkedHashMap<>(labels)).put("volumeDriver", driver)
                .put("mountPoint", mountpoint);
        if (createdAt != null) {
            o.put("createdAt", Timestamps.format(createdAt));
        }
        if (!options.isEmpty()) {
            o.put("volumeOptions", new LinkedHashMap<>(options));
        }
        o.put("isAnon", anonymous).put("uid", uid).put("gid", gid).put("size", 0).put("inodes", 0);
        return o.asMap();
    }

    /** libpod's VolumeState JSON. */
    public Map<String, Object> stateJson() {
        JsonObject o = new JsonObject().put("mountCount", 0);
        if (needsCopyUp) {
            o.put("notYetMounted", true);
        }
        return o.asMap();
    }

    /** Config and state in one document, for backends that keep one record per volume. */
    public Map<String, Object> recordJson() {
        return new JsonObject().put("config", toJson()).put("state", stateJson()).asMap();
    }

    public static Volume fromRecordJson(JsonObject o) {
        JsonObject config = o.obj("config");
        if (config == null) {
            throw new IllegalArgumentException("the volume record has no config");
        }
        return fromJson(config, o.obj("state"));
    }

    /** From libpod's VolumeConfig and (possibly absent) VolumeState. */
    public static Volume fromJson(JsonObject config, JsonObject state) {
        String name = config.str("name");
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("the volume record has no name");
        }
        String created = config.str("createdAt");
        return new Volume(name, config.str("volumeDriver", LOCAL), config.str("mountPoint", ""), config.stringMap("labels"),
                config.stringMap("volumeOptions"), created == null ? null : Timestamps.parse(created),
                config.bool("isAnon", false), state != null && state.bool("notYetMounted", false),
                config.integer("uid", 0), config.integer("gid", 0));
    }
}
