package berth.network.cni;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.support.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One file per network in {@code /etc/hosts} format listing the containers attached to it:
 * {@code IP<TAB>NAME [HOSTNAME]<TAB># berth:CONTAINERID}. The engine can merge these entries into a
 * container's {@code /etc/hosts} so containers on one network find each other by name. Callers hold
 * the run-directory lock.
 */
final class HostsFiles {
    private static final String MARK = "# berth:";
    private final Path dir;

    HostsFiles(Path dir) {
        this.dir = dir;
    }

    Path file(String network) {
        return dir.resolve(network);
    }

    void add(String network, String containerId, String ip, String names) {
        List<String> lines = read(file(network));
        lines.removeIf(l -> l.endsWith(MARK + containerId));
        lines.add(ip + "\t" + names + "\t" + MARK + containerId);
        write(file(network), lines);
    }

    void remove(String containerId) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path f : ds) {
                if (f.getFileName().toString().startsWith(".")) {
                    continue;
                }
                List<String> lines = read(f);
                if (lines.removeIf(l -> l.endsWith(MARK + containerId))) {
                    write(f, lines);
                }
            }
        } catch (IOException e) {
            throw new BerthException(ErrorCode.NETWORK_ERROR, "cannot update hosts files in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Takes the container's line out of one network's file ({@code network disconnect}). */
    void removeFrom(String network, String containerId) {
        List<String> lines = read(file(network));
        if (lines.removeIf(l -> l.endsWith(MARK + containerId))) {
            write(file(network), lines);
        }
    }

    void delete(String network) {
        try {
            Files.deleteIfExists(file(network));
        } catch (IOException e) {
            throw new BerthException(ErrorCode.NETWORK_ERROR, "cannot remove " + file(network) + ": " + e.getMessage(), e);
        }
    }

    /** The entries of a network without the berth marker: {@code IP<TAB>NAME [HOSTNAME]}. */
    List<String> entries(String network) {
        List<String> out = new ArrayList<>();
        for (String l : read(file(network))) {
            int m = l.lastIndexOf('\t' + MARK);
            out.add(m >= 0 ? l.substring(0, m) : l);
        }
        return out;
    }

    private static List<String> read(Path f) {
        List<String> out = new ArrayList<>();
        if (!Files.exists(f)) {
            return out;
        }
        try {
            for (String l : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                if (!l.isBlank()) {
                    out.add(l);
                }
            }
        } catch (IOException e) {
            throw new BerthException(ErrorCode.NETWORK_ERROR, "cannot read " + f + ": " + e.getMessage(), e);
        }
        return out;
    }

    private static void write(Path f, List<String> lines) {
        try {
            if (lines.isEmpty()) {
                Files.deleteIfExists(f);
            } else {
                // NONE: hosts files live in the run dir (a tmpfs), rebuilt with the containers after a reboot
                CniNetworkBackend.writeFile(f, String.join("\n", lines) + "\n", AtomicFiles.Durability.NONE);
            }
        } catch (IOException e) {
            throw new BerthException(ErrorCode.NETWORK_ERROR, "cannot write " + f + ": " + e.getMessage(), e);
        }
    }
}
