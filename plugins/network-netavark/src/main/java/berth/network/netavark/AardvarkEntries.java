package berth.network.netavark;

import berth.kernel.spi.network.HostEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The names aardvark-dns serves on a network, read from the config file netavark keeps for it
 * ({@code RUNDIR/aardvark-dns/NETWORK}: a first line with the DNS addresses, then one line per container,
 * {@code ID IPV4 IPV6 NAME,ALIAS,...}). They become host entries of the container's status, so the
 * engine's /etc/hosts agrees with what the name server answers.
 */
final class AardvarkEntries {
    private AardvarkEntries() {
    }

    static List<HostEntry> peers(Path runDir, String network, String exceptContainerId) {
        Path f = runDir.resolve("aardvark-dns").resolve(network);
        List<String> lines;
        try {
            lines = Files.readAllLines(f);
        } catch (IOException e) {
            return List.of();
        }
        List<HostEntry> out = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String[] fields = lines.get(i).split(" ", -1);
            if (fields.length < 4 || fields[0].equals(exceptContainerId)) {
                continue;
            }
            List<String> names = Arrays.stream(fields[3].split(",")).filter(s -> !s.isBlank()).toList();
            if (names.isEmpty()) {
                continue;
            }
            for (String ip : List.of(fields[1], fields[2])) {
                if (!ip.isBlank()) {
                    out.add(new HostEntry(ip.trim(), names));
                }
            }
        }
        return out;
    }
}
