package berth.api.docker;

import berth.engine.Engine;
import berth.engine.PathStat;
import berth.kernel.json.Json;
import berth.kernel.model.Timestamps;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /containers/{id}/archive} for {@code docker cp}: HEAD (the path's stat), GET (a tar of it)
 * and PUT (a tar extracted into a directory), over the engine's container files, which never
 * resolve a path outside the container.
 */
final class ArchiveRoutes {
    private static final String STAT_HEADER = "X-Docker-Container-Path-Stat";
    private static final long GO_MODE_DIR = 1L << 31;
    private static final long GO_MODE_SYMLINK = 1L << 27;

    private final Engine engine;

    ArchiveRoutes(Engine engine) {
        this.engine = engine;
    }

    void register(Router r) {
        r.add(Route.of("HEAD", "/containers/{id}/archive", (x, p) -> {
            x.response.getHeaders().put(STAT_HEADER, header(engine.files().stat(p[0], path(x))));
            x.sendEmpty(200);
        }));
        r.add(Route.of("GET", "/containers/{id}/archive", (x, p) -> get(x, p[0])));
        r.add(Route.of("PUT", "/containers/{id}/archive", (x, p) -> {
            try (InputStream in = x.bodyStream()) {
                engine.files().put(p[0], path(x), in);
            }
            x.sendEmpty(200);
        }));
    }

    private static String path(Exchange x) {
        String path = x.query("path");
        if (path == null || path.isEmpty()) {
            throw ApiError.badRequest("path is required");
        }
        return path;
    }

    private void get(Exchange x, String id) throws Exception {
        String path = path(x);
        PathStat st = engine.files().stat(id, path); // 404 before the stream begins
        x.response.getHeaders().put(STAT_HEADER, header(st));
        try (OutputStream out = x.stream(200, "application/x-tar")) {
            engine.files().get(id, path, out);
        }
    }

    /** Docker's stat header: base64 of a JSON object with Go's file mode bits. */
    static String header(PathStat st) {
        long mode = st.mode() & 0777;
        if (st.directory()) {
            mode |= GO_MODE_DIR;
        }
        if (!st.linkTarget().isEmpty()) {
            mode |= GO_MODE_SYMLINK;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", st.name());
        m.put("size", st.size());
        m.put("mode", mode);
        m.put("mtime", Timestamps.format(st.modified()));
        m.put("linkTarget", st.linkTarget());
        return Base64.getEncoder().encodeToString(Json.write(m).getBytes(StandardCharsets.UTF_8));
    }
}
