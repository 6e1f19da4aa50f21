package berth.oci.conmon;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.support.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Seed 004's findConmon and probeConmon: the first configured conmon that exists and reports at least
 * version 2.0.24 wins; an outdated one is skipped with a warning; $PATH is the last resort.
 *
 * <p>podman runs {@code conmon --version} on every command. Here the verdict is remembered in the
 * run root (a tmpfs, so a reboot forgets it) per binary, keyed by its inode, size and modification time:
 * a replaced or upgraded binary is probed again, an unchanged one costs a stat.
 */
final class ConmonProbe {
    /** The oldest conmon that has everything used here (seed 004's minimum). */
    static final int[] MINIMUM = {2, 0, 24};
    private static final Pattern VERSION = Pattern.compile("^conmon version (\\d+)\\.(\\d+)\\.(\\d+)");

    private ConmonProbe() {
    }

    /** A usable conmon and the version line it printed. */
    record Found(Path path, String version) {
    }

    static Found find(List<String> candidates, Path cacheFile, Consumer<String> warnings) {
        boolean outdated = false;
        List<String> tried = new ArrayList<>(candidates);
        for (String c : candidates) {
            Path p = Path.of(c);
            if (!Files.isRegularFile(p)) {
                continue;
            }
            Verdict v = probe(p, cacheFile);
            if (v.problem() == null) {
                return new Found(p, v.version());
            }
            warnings.accept("conmon at " + p + " invalid: " + v.problem());
            outdated = true;
        }
        Path onPath = lookPath("conmon");
        if (onPath != null && !candidates.contains(onPath.toString())) {
            tried.add(onPath.toString());
            Verdict v = probe(onPath, cacheFile);
            if (v.problem() == null) {
                return new Found(onPath, v.version());
            }
            warnings.accept("conmon at " + onPath + " invalid: " + v.problem());
            outdated = true;
        }
        if (outdated) {
            throw new BerthException(ErrorCode.RUNTIME_MISSING, "conmon is outdated (tried " + String.join(", ", tried)
                    + "): please update to v" + MINIMUM[0] + "." + MINIMUM[1] + "." + MINIMUM[2] + " or later");
        }
        throw new BerthException(ErrorCode.RUNTIME_MISSING, "could not find a working conmon binary (configured options: "
                + String.join(", ", candidates) + "; install the conmon package or set conmon_path in containers.conf)");
    }

    /** The version line a binary printed, and why it is unusable (null when it is new enough). */
    private record Verdict(String version, String problem) {
    }

    private static Verdict probe(Path bin, Path cacheFile) {
        String key = key(bin);
        String cached = key == null ? null : lookup(cacheFile, key);
        if (cached != null) {
            return new Verdict(cached, check(cached));
        }
        String line;
        try {
            OciCli.Result r = new OciCli(bin, List.of()).run("--version");
            if (r.exitCode() != 0) {
                return new Verdict("", "\"" + bin + " --version\" exited with " + r.exitCode());
            }
            line = r.stdout().lines().findFirst().orElse("").strip();
        } catch (BerthException e) {
            return new Verdict("", e.getMessage());
        }
        String problem = check(line);
        if (problem == null && key != null) {
            remember(cacheFile, key, line); // only good verdicts: a bad one is reported every time anyway
        }
        return new Verdict(line, problem);
    }

    /** Compares a {@code conmon --version} line with the minimum; null when new enough. */
    static String check(String versionLine) {
        Matcher m = VERSION.matcher(versionLine);
        if (!m.find()) {
            return "cannot parse conmon version from \"" + versionLine + "\"";
        }
        for (int i = 0; i < 3; i++) {
            int have = Integer.parseInt(m.group(i + 1));
            if (have != MINIMUM[i]) {
                return have > MINIMUM[i] ? null : "version " + m.group(1) + "." + m.group(2) + "." + m.group(3)
                        + " is older than " + MINIMUM[0] + "." + MINIMUM[1] + "." + MINIMUM[2];
            }
        }
        return null;
    }

    /**
     * path, device and inode, size and modification time: a package upgrade installs a new inode, an
     * edit in place changes the size or time. One stat, without the unix attribute view's map.
     */
    private static String key(Path bin) {
        try {
            BasicFileAttributes a = Files.readAttributes(bin, BasicFileAttributes.class);
            return bin + "\t" + a.fileKey() + "\t" + a.size() + "\t" + a.lastModifiedTime().toMillis();
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }

    private static String lookup(Path cacheFile, String key) {
        String text;
        try {
            text = new String(Files.readAllBytes(cacheFile), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null; // no cache yet
        }
        String prefix = key + "\t";
        for (String line : text.split("\n")) {
            if (line.startsWith(prefix)) {
                return line.substring(prefix.length());
            }
        }
        return null;
    }

    private static void remember(Path cacheFile, String key, String versionLine) {
        StringBuilder text = new StringBuilder();
        try {
            if (Files.exists(cacheFile)) {
                String path = key.substring(0, key.indexOf('\t') + 1);
                for (String l : Files.readAllLines(cacheFile, StandardCharsets.UTF_8)) {
                    if (!l.startsWith(path)) {
                        text.append(l).append('\n');
                    }
                }
            }
            text.append(key).append('\t').append(versionLine).append('\n');
            // a cache in a tmpfs: atomic replace, no fsync (losing it costs one probe)
            AtomicFiles.write(cacheFile, text.toString(), AtomicFiles.Durability.NONE);
        } catch (IOException | BerthException e) {
            // without the cache the next command probes again
        }
    }

    private static Path lookPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(":")) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Path.of(dir, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }
}
