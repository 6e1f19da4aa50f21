package berth.engine.internal;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.support.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Translated seccomp filters kept by content under the static dir ({@code STATIC_DIR/seccomp/}),
 * which a container's config names instead of holding the 8 KB itself: every command that reads
 * records (ps above all) would otherwise parse it for every container, about 2 ms of CPU each in
 * a short-lived JVM. One file serves every container made with the same profile and capabilities;
 * files are never removed while berth runs (they are a few, and small), {@code system reset} takes
 * the whole root.
 */
final class SeccompFilters {
    private SeccompFilters() {
    }

    /** The file holding {@code json}, written on first use; an existing file of that name with other text gets a suffix. */
    static Path keep(String json, Path dir) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        String base = Long.toHexString(fnv1a(bytes)) + "-" + bytes.length;
        try {
            Files.createDirectories(dir);
            for (int n = 0; ; n++) {
                Path f = dir.resolve(n == 0 ? base + ".json" : base + "." + n + ".json");
                if (!Files.exists(f)) {
                    // synced: a container's config names it for as long as the container lives
                    AtomicFiles.write(f, bytes, AtomicFiles.Durability.FULL);
                    return f;
                }
                if (java.util.Arrays.equals(Files.readAllBytes(f), bytes)) {
                    return f;
                }
            }
        } catch (IOException e) {
            throw new BerthException(ErrorCode.INTERNAL, "cannot keep the translated seccomp filter in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The filter's JSON text, or INTERNAL naming the container and the file. */
    static String read(Path file, String container) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new BerthException(ErrorCode.INTERNAL, "container " + container + ": cannot read its seccomp filter " + file + ": "
                    + e.getMessage(), e);
        }
    }

    private static long fnv1a(byte[] b) {
        long h = 0xcbf29ce484222325L;
        for (byte x : b) {
            h ^= x & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }
}
