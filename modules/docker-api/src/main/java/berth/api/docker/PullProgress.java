package berth.api.docker;

import berth.kernel.json.Json;
import berth.kernel.model.PullListener;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** A pull's progress as Docker's JSON lines ({@code status}, {@code id}, {@code progressDetail}, {@code error}). */
final class PullProgress implements PullListener {
    private final OutputStream out;
    private final Map<String, Long> sizes = new java.util.concurrent.ConcurrentHashMap<>();

    PullProgress(OutputStream out) {
        this.out = out;
    }

    private static String shortId(String digest) {
        String hex = digest.replaceFirst("^sha256:", "");
        return hex.length() > 12 ? hex.substring(0, 12) : hex;
    }

    @Override
    public void message(String text) {
        // podman's free-text steps have no place in Docker's stream
    }

    @Override
    public void blobStarted(String digest, long size) {
        sizes.put(digest, size);
        status("Pulling fs layer", shortId(digest));
    }

    @Override
    public void blobProgress(String digest, long bytes) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", "Downloading");
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("current", bytes);
        long total = sizes.getOrDefault(digest, -1L);
        if (total > 0) {
            detail.put("total", total);
        }
        m.put("progressDetail", detail);
        m.put("id", shortId(digest));
        write(m);
    }

    @Override
    public void blobDone(String digest, boolean skipped) {
        status(skipped ? "Already exists" : "Pull complete", shortId(digest));
    }

    void status(String status, String id) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", status);
        if (id != null) {
            m.put("id", id);
        }
        write(m);
    }

    void error(String message) {
        write(Map.of("error", message, "errorDetail", Map.of("message", message)));
    }

    private synchronized void write(Object value) {
        try {
            out.write((Json.write(value) + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // the client went away; the pull finishes for the next one
        }
    }
}
