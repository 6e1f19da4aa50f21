package berth.api.docker;

import berth.engine.Engine;
import berth.engine.Images;
import berth.kernel.error.BerthException;
import berth.kernel.json.Json;
import berth.kernel.model.ArchiveFormat;
import berth.kernel.model.ImageInfo;
import berth.kernel.model.ImageRemoval;
import berth.kernel.model.PullOptions;
import berth.kernel.model.Timestamps;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The image endpoints: pull (streamed progress), list, inspect, tag, remove, load, save, prune. */
final class ImageRoutes {
    private final Engine engine;

    ImageRoutes(Engine engine) {
        this.engine = engine;
    }

    void register(Router r) {
        r.add(Route.of("POST", "/images/create", (x, p) -> pull(x)));
        r.add(Route.of("GET", "/images/json", (x, p) -> x.sendJson(200, list(x))));
        r.add(Route.of("POST", "/images/load", (x, p) -> load(x)));
        r.add(Route.of("POST", "/images/prune", (x, p) -> prune(x)));
        r.add(Route.of("GET", "/images/get", (x, p) -> save(x, x.queryAll("names"))));
        r.add(Route.of("GET", "/images/{name*}/json", (x, p) -> x.sendJson(200, inspect(images().get(p[0])))));
        r.add(Route.of("GET", "/images/{name*}/get", (x, p) -> save(x, List.of(p[0]))));
        r.add(Route.of("POST", "/images/{name*}/tag", (x, p) -> tag(x, p[0])));
        r.add(Route.of("DELETE", "/images/{name*}", (x, p) -> remove(x, p[0])));
    }

    private Images images() {
        return engine.images();
    }

    private void pull(Exchange x) throws IOException {
        String from = x.query("fromImage");
        if (from == null || from.isEmpty()) {
            throw ApiError.badRequest("fromImage is required (importing with fromSrc is not supported)");
        }
        String tag = x.query("tag", "");
        String ref = tag.isEmpty() ? from : tag.startsWith("sha256:") ? from + "@" + tag : from + ":" + tag;
        OutputStream out = x.stream(200, "application/json");
        PullProgress progress = new PullProgress(out);
        progress.status("Pulling from " + ImageNames.repository(ref), tag.isEmpty() ? "latest" : tag);
        try {
            ImageInfo img = images().pull(ref, new PullOptions(ImageNames.loopbackRegistry(ref) ? Boolean.FALSE : null, null, null,
                    null, null, null, progress));
            progress.status("Digest: " + img.digest(), null);
            progress.status("Status: Downloaded newer image for " + ref, null);
        } catch (BerthException e) {
            progress.error(e.getMessage());
        }
        out.close();
    }

    private List<Object> list(Exchange x) {
        Map<String, List<String>> filters = x.filters();
        List<Object> out = new ArrayList<>();
        for (ImageInfo i : images().list()) {
            if (!ImageNames.matches(i, filters)) {
                continue;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("Id", "sha256:" + i.id());
            m.put("ParentId", "");
            m.put("RepoTags", ImageNames.tags(i));
            m.put("RepoDigests", i.repoDigests());
            m.put("Created", i.created() == null ? 0 : i.created().getEpochSecond());
            m.put("Size", i.size());
            m.put("VirtualSize", i.size());
            m.put("SharedSize", -1);
            m.put("Labels", i.config().labels());
            m.put("Containers", -1);
            out.add(m);
        }
        return out;
    }

    static Map<String, Object> inspect(ImageInfo i) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("User", i.config().user());
        config.put("Env", i.config().env());
        config.put("Cmd", i.config().cmd());
        config.put("Entrypoint", i.config().entrypoint().isEmpty() ? null : i.config().entrypoint());
        config.put("WorkingDir", i.config().workingDir());
        config.put("Labels", i.config().labels());
        config.put("StopSignal", i.config().stopSignal());
        Map<String, Object> exposed = new LinkedHashMap<>();
        i.config().exposedPorts().forEach(p -> exposed.put(p, Map.of()));
        config.put("ExposedPorts", exposed);
        Map<String, Object> volumes = new LinkedHashMap<>();
        i.config().volumes().forEach(v -> volumes.put(v, Map.of()));
        config.put("Volumes", volumes);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Id", "sha256:" + i.id());
        m.put("RepoTags", ImageNames.tags(i));
        m.put("RepoDigests", i.repoDigests());
        m.put("Parent", "");
        m.put("Comment", "");
        m.put("Created", i.created() == null ? "0001-01-01T00:00:00Z" : Timestamps.format(i.created()));
        m.put("Container", "");
        m.put("DockerVersion", "");
        m.put("Author", i.author());
        m.put("Config", config);
        m.put("Architecture", i.architecture());
        m.put("Os", i.os());
        m.put("Size", i.size());
        m.put("VirtualSize", i.size());
        m.put("RootFS", Map.of("Type", "layers", "Layers", i.layers()));
        m.put("Metadata", Map.of("LastTagTime", "0001-01-01T00:00:00Z"));
        return m;
    }

    private void tag(Exchange x, String name) {
        String repo = x.query("repo");
        if (repo == null || repo.isEmpty()) {
            throw ApiError.badRequest("repo is required");
        }
        String tag = x.query("tag", "");
        images().tag(name, tag.isEmpty() ? repo : repo + ":" + tag);
        x.sendEmpty(201);
    }

    private void remove(Exchange x, String name) {
        x.sendJson(200, removalJson(List.of(images().remove(name, x.flag("force", false)))));
    }

    private static List<Object> removalJson(List<ImageRemoval> removals) {
        List<Object> out = new ArrayList<>();
        for (ImageRemoval r : removals) {
            r.untagged().forEach(u -> out.add(Map.of("Untagged", u)));
            r.deleted().forEach(d -> out.add(Map.of("Deleted", d.startsWith("sha256:") ? d : "sha256:" + d)));
        }
        return out;
    }

    private void prune(Exchange x) {
        List<String> dangling = x.filters().getOrDefault("dangling", List.of("true"));
        boolean all = dangling.contains("false") || dangling.contains("0");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ImagesDeleted", removalJson(images().prune(all)));
        m.put("SpaceReclaimed", 0);
        x.sendJson(200, m);
    }

    /** The body (a docker-archive tar) goes to a temporary file the image store reads. */
    private void load(Exchange x) throws IOException {
        Path tmp = Files.createTempFile("berth-api-load", ".tar");
        try {
            try (InputStream in = x.bodyStream()) {
                Files.copy(in, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            List<ImageInfo> loaded = images().load(tmp, PullOptions.DEFAULT);
            StringBuilder sb = new StringBuilder();
            for (ImageInfo i : loaded) {
                String name = i.names().isEmpty() ? "sha256:" + i.id() : ImageNames.shortName(i.names().get(0));
                sb.append(Json.write(Map.of("stream", "Loaded image: " + name + "\n"))).append('\n');
            }
            x.send(200, "application/json", sb.toString().getBytes(StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private void save(Exchange x, List<String> names) throws IOException {
        if (names.isEmpty()) {
            throw ApiError.badRequest("no image named");
        }
        for (String n : names) {
            images().get(n); // 404 before the stream begins
        }
        Path dir = Files.createTempDirectory("berth-api-save");
        Path tar = dir.resolve("images.tar");
        try {
            images().save(names, tar, ArchiveFormat.DOCKER_ARCHIVE);
            try (OutputStream out = x.stream(200, "application/x-tar")) {
                Files.copy(tar, out);
            }
        } finally {
            Files.deleteIfExists(tar);
            Files.deleteIfExists(dir);
        }
    }
}
