package berth.distribution;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Go bbolt checker of the bolt support module's tests (modules/bolt-support/src/test/go/boltcheck,
 * built here with Debian's Go and bbolt sources): bbolt's own consistency check and a dump of every
 * key, read with Go's bbolt rather than berth's.
 */
final class BoltDump {
    private static Path binary;

    private BoltDump() {
    }

    static synchronized Path binary() {
        if (binary != null) {
            return binary;
        }
        Path bboltSrc = Path.of("/usr/share/gocode/src/go.etcd.io/bbolt");
        if (!Files.isExecutable(Path.of("/usr/bin/go")) || !Files.isDirectory(bboltSrc)) {
            throw new AssertionError("the bolt dump needs Go and bbolt's sources: apt-get install -y golang-go golang-github-coreos-bbolt-dev");
        }
        Path src = Berth.HOME.getParent().getParent().getParent().resolve("modules/bolt-support/src/test/go/boltcheck");
        Path out = Berth.HOME.getParent().resolve("boltcheck");
        PodmanCli.exec(List.of("/usr/bin/go", "build", "-o", out.resolve("boltcheck").toString(), "."), Map.of(
                "GO111MODULE", "off", "GOPATH", "/usr/share/gocode", "GOCACHE", out.resolve("go-cache").toString(),
                "HOME", out.toString()), 600, src).ok();
        binary = out.resolve("boltcheck");
        return binary;
    }

    /** bbolt's tx.Check() errors ("E ..." lines); empty when the file is consistent. */
    static List<String> errors(Path db) {
        PodmanCli.Result r = PodmanCli.exec(List.of(binary().toString(), "check", db.toString()), Map.of(), 120, null);
        return r.out().lines().filter(l -> l.startsWith("E ")).toList();
    }

    /** The keys of container {@code id}'s bucket: key to value (UTF-8). */
    static Map<String, String> container(Path db, String id) {
        PodmanCli.Result r = PodmanCli.exec(List.of(binary().toString(), "check", db.toString()), Map.of(), 120, null).ok();
        String bucket = hex("ctr") + "/" + hex(id);
        Map<String, String> out = new LinkedHashMap<>();
        for (String l : r.out().lines().toList()) {
            String[] f = l.split(" ");
            if (f.length >= 3 && f[0].equals("K") && f[1].equals(bucket)) {
                out.put(unhex(f[2]), f.length > 3 ? unhex(f[3]) : "");
            }
        }
        return out;
    }

    private static String hex(String s) {
        return HexFormat.of().formatHex(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String unhex(String s) {
        return new String(HexFormat.of().parseHex(s), StandardCharsets.UTF_8);
    }
}
