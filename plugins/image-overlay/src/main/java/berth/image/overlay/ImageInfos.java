package berth.image.overlay;

import berth.kernel.json.Json;
import berth.kernel.json.JsonObject;
import berth.kernel.model.ImageConfig;
import berth.kernel.model.ImageInfo;
import berth.kernel.model.Timestamps;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Builds an {@link ImageInfo} from an images.json record, its configuration big data and its layers. */
final class ImageInfos {
    private ImageInfos() {
    }

    static ImageInfo of(StoreTxn txn, ImageRecord image) {
        StoreLayout layout = txn.layout;
        JsonObject config = BigData.read(layout, image.id(), "sha256:" + image.id())
                .map(ImageInfos::parse).orElse(new JsonObject());
        JsonObject manifest = BigData.read(layout, image.id(), BigData.MANIFEST).map(ImageInfos::parse).orElse(new JsonObject());
        long size = 0;
        String layerId = image.topLayer();
        while (!layerId.isEmpty()) {
            String current = layerId;
            LayerRecord l = txn.layer(current).orElse(null);
            if (l == null) {
                break;
            }
            size += l.diffSize();
            layerId = l.parent();
        }
        Instant created = parseTime(config.str("created"));
        if (created == null) {
            created = image.created();
        }
        JsonObject rootfs = config.obj("rootfs");
        List<String> diffIds = rootfs == null ? List.of() : rootfs.strings("diff_ids");
        return new ImageInfo(image.id(), image.names(), image.digest(), repoDigests(image), created, size,
                config.str("os", ""), config.str("architecture", ""), config.str("author", ""), diffIds, image.topLayer(),
                manifest.str("mediaType", ""), imageConfig(config.obj("config")));
    }

    /** {@code repository@digest} for each name's repository and each manifest digest, as podman lists RepoDigests. */
    static List<String> repoDigests(ImageRecord image) {
        Set<String> digests = new LinkedHashSet<>();
        if (!image.digest().isEmpty()) {
            digests.add(image.digest());
        }
        for (String key : image.bigDataNames()) {
            if (key.startsWith("manifest-")) {
                digests.add(key.substring("manifest-".length()));
            }
        }
        Set<String> out = new LinkedHashSet<>();
        for (String name : image.names()) {
            String repo = ImageLookup.Name.parse(name).repository();
            for (String d : digests) {
                out.add(repo + "@" + d);
            }
        }
        return new ArrayList<>(out);
    }

    static ImageConfig imageConfig(JsonObject c) {
        if (c == null) {
            return ImageConfig.EMPTY;
        }
        return new ImageConfig(c.str("User", ""), c.strings("Env"), c.strings("Entrypoint"), c.strings("Cmd"),
                c.str("WorkingDir", ""), c.str("StopSignal", ""), keys(c, "ExposedPorts"), keys(c, "Volumes"),
                c.stringMap("Labels"));
    }

    private static List<String> keys(JsonObject c, String key) {
        JsonObject o = c.obj(key);
        return o == null ? List.of() : new ArrayList<>(o.asMap().keySet());
    }

    static JsonObject parse(byte[] bytes) {
        try {
            return Json.parseObject(bytes);
        } catch (Json.MalformedJsonException e) {
            return new JsonObject();
        }
    }

    static Instant parseTime(String s) {
        if (s == null || s.isEmpty()) {
            return null;
        }
        try {
            // UTC times by hand (java.time's parser costs a cold run some ms), offsets through java.time
            return s.endsWith("Z") ? Timestamps.parse(s) : java.time.OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** The config JSON's {@code config} object from an {@link ImageConfig}, in the OCI field names. */
    static Map<String, Object> configJson(ImageConfig c) {
        JsonObject o = new JsonObject();
        if (!c.user().isEmpty()) {
            o.put("User", c.user());
        }
        if (!c.exposedPorts().isEmpty()) {
            JsonObject ports = new JsonObject();
            c.exposedPorts().forEach(p -> ports.put(p, new java.util.LinkedHashMap<String, Object>()));
            o.put("ExposedPorts", ports.asMap());
        }
        if (!c.env().isEmpty()) {
            o.put("Env", new ArrayList<>(c.env()));
        }
        if (!c.entrypoint().isEmpty()) {
            o.put("Entrypoint", new ArrayList<>(c.entrypoint()));
        }
        if (!c.cmd().isEmpty()) {
            o.put("Cmd", new ArrayList<>(c.cmd()));
        }
        if (!c.volumes().isEmpty()) {
            JsonObject vols = new JsonObject();
            c.volumes().forEach(v -> vols.put(v, new java.util.LinkedHashMap<String, Object>()));
            o.put("Volumes", vols.asMap());
        }
        if (!c.workingDir().isEmpty()) {
            o.put("WorkingDir", c.workingDir());
        }
        if (!c.labels().isEmpty()) {
            o.put("Labels", new java.util.LinkedHashMap<String, Object>(c.labels()));
        }
        if (!c.stopSignal().isEmpty()) {
            o.put("StopSignal", c.stopSignal());
        }
        return o.asMap();
    }
}
