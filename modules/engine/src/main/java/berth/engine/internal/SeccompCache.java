package berth.engine.internal;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.json.Json;
import berth.support.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Which kept filter (SeccompFilters) a seccomp profile translates to, remembered under the run root,
 * so a create pays for a few stats and one small read instead of parsing and translating the 16 KB
 * profile (about 25 ms of CPU in a short-lived JVM, measured with BERTH_TRACE=cpu). An entry is keyed
 * by what the translation depends on: the profile file (path, modification time, size, inode), the
 * capability set, the architecture, the running kernel and the filter directory; its first line
 * holds that key, checked on every read, so a hash collision or a changed file is only a miss.
 * Entries are never removed: one per profile and capability set, on a tmpfs that a reboot empties.
 */
final class SeccompCache {
    private SeccompCache() {
    }

    /**
     * The file holding the spec's linux.seccomp for {@code profile} (kept in {@code filterDir}), null
     * when the profile turns seccomp off.
     */
    static String filterFor(Path profile, List<String> bounding, Path cacheDir, Path filterDir) {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(profile, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "opening seccomp profile " + profile + " failed: no such file", e);
        } catch (IOException e) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "opening seccomp profile " + profile + " failed: " + e.getMessage(), e);
        }
        String arch = SeccompProfiles.nativeArch();
        String kernel = SeccompProfiles.kernelRelease();
        String key = profile.toAbsolutePath() + "|" + a.lastModifiedTime().to(TimeUnit.NANOSECONDS) + "|" + a.size() + "|"
                + a.fileKey() + "|" + String.join(",", bounding) + "|" + arch + "|" + kernel + "|" + filterDir.toAbsolutePath();
        Path entry = cacheDir.resolve(Long.toHexString(fnv1a(key)) + ".txt");
        String cached = read(entry, key);
        if (cached != null && (cached.isEmpty() || Files.exists(Path.of(cached)))) {
            return cached.isEmpty() ? null : cached;
        }
        Map<String, Object> translated = SeccompProfiles.load(profile, bounding, arch, kernel);
        String filter = translated == null ? "" : SeccompFilters.keep(Json.write(translated), filterDir).toString();
        try {
            Files.createDirectories(cacheDir);
            // not synced: a lost entry is only a miss
            AtomicFiles.write(entry, (key + "\n" + filter).getBytes(StandardCharsets.UTF_8), AtomicFiles.Durability.NONE);
        } catch (IOException | RuntimeException e) {
            // a run root we cannot write to costs the translation every time, nothing else
        }
        return filter.isEmpty() ? null : filter;
    }

    /** The entry's filter path ("" for seccomp off), or null when it is missing or made for another key. */
    private static String read(Path entry, String key) {
        String s;
        try {
            s = Files.readString(entry);
        } catch (IOException e) {
            return null;
        }
        int nl = s.indexOf('\n');
        return nl >= 0 && s.substring(0, nl).equals(key) ? s.substring(nl + 1) : null;
    }

    /** FNV-1a, 64 bits: a file name from the key without loading a message digest. */
    private static long fnv1a(String s) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < s.length(); i++) {
            h ^= s.charAt(i);
            h *= 0x100000001b3L;
        }
        return h;
    }
}
