package berth.network.cni;

import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.kernel.error.BerthException;
import berth.kernel.model.NetworkDefinition;
import berth.kernel.spi.network.NetworkEnvironment;
import berth.support.FileTrees;
import berth.testsupport.Fuzz;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hostile conflists in the network config directory (seeded JUnit loops on {@link berth.testsupport.Fuzz}): random bytes and mutations of a valid
 * conflist, dropped in as {@code fuzz.conflist}. Listing the networks either shows it or warns naming
 * the file and skips it; inspecting it gives it or a BerthException naming the file — never another
 * exception, never a hang. No CNI plugin runs: only reading is fuzzed.
 *
 * <p>CI runs a fixed seed and the tries below (a few seconds); {@code -Dberth.fuzz.factor=100} or
 * {@code -Dberth.fuzz.seed=random} run longer or elsewhere (see {@link Fuzz}).
 */
class ConflistFuzzTest {
    static final String VALID = """
            {
              "cniVersion": "1.0.0",
              "name": "fuzz",
              "plugins": [
                {
                  "type": "bridge", "bridge": "cni-fz0", "isGateway": true, "ipMasq": true, "hairpinMode": true,
                  "ipam": {"type": "host-local", "routes": [{"dst": "0.0.0.0/0"}],
                           "ranges": [[{"subnet": "10.77.0.0/24", "gateway": "10.77.0.1"}]]}
                },
                {"type": "portmap", "capabilities": {"portMappings": true}},
                {"type": "firewall"},
                {"type": "tuning"}
              ]
            }
            """;

    private static Path tmp;
    private static CniNetworkBackend backend;
    private static final List<String> warnings = new ArrayList<>();

    @BeforeAll
    static void setUp() throws IOException {
        tmp = Files.createTempDirectory("berth-fuzz-cni");
        Map<String, String> opts = Map.of("default_network", "fzdefault", "default_subnet", "10.78.0.0/24",
                "bridge_prefix", "fz", "subnet_pool", "10.79.0.0/16");
        backend = new CniNetworkBackend(new NetworkEnvironment(tmp.resolve("conf"), tmp.resolve("run"), List.of("/usr/lib/cni"),
                opts, warnings::add));
    }

    @AfterAll
    static void tearDown() {
        FileTrees.delete(tmp);
    }

    /** Lists and inspects with {@code content} as fuzz.conflist. */
    static void check(byte[] content) throws IOException {
        Path f = tmp.resolve("conf").resolve("fuzz" + CniNetwork.SUFFIX);
        Files.createDirectories(f.getParent());
        Files.write(f, content);
        warnings.clear();
        Fuzz.within(Duration.ofSeconds(10), () -> {
            List<NetworkDefinition> all = backend.networks();
            boolean listed = all.stream().anyMatch(d -> d.name().equals("fuzz"));
            boolean warned = warnings.stream().anyMatch(w -> w.contains(f.toString()));
            assertTrue(listed != warned, "listed " + listed + ", warned " + warned + ": " + warnings);
            try {
                CniNetwork n = CniNetwork.load(f);
                n.subnetAndGateway();
                n.subnet();
                n.driver();
                n.bridge();
                n.pluginTypes();
                n.conflistCopy();
            } catch (BerthException e) {
                assertTrue(e.getMessage().contains(f.toString()), "the error does not name the file: " + e.getMessage());
            }
            return null;
        });
    }

    @Test
    void theValidConflistIsListed() throws IOException {
        check(VALID.getBytes(StandardCharsets.UTF_8));
        assertTrue(warnings.isEmpty(), warnings.toString());
    }

    @Test
    void randomBytes() {
        Fuzz.forAll(500, g -> g.bytes(300), ConflistFuzzTest::check);
    }

    /** The valid conflist with pieces of JSON (and wrong types) put in, cut out or truncated. */
    @Test
    void mutatedConflist() {
        String[] hostile = {"{", "}", "[", "]", "\"", ":", ",", "null", "1", "-1e999", "true", "[]", "{}", "\"\"", "[[]]",
            "[{}]", "[[{}]]", "\"name\": 5", "\"plugins\": {}", "\"plugins\": [1]", "\"type\": []", "\"ipam\": []",
            "\"ranges\": [1]", "\"subnet\": 7", "\"subnet\": \"300.1.1.1/99\"", "\"subnet\": \"10.0.0.0/33\"", "\\u0000", "é",
            "\"bridge\": null", "\"type\": \"\"", "\"cniVersion\": {}", "\"name\": \"../x\""};
        Fuzz.forAll(2000, g -> g.mutate(VALID, g.intIn(1, 4), 12, hostile), doc -> check(doc.getBytes(StandardCharsets.UTF_8)));
    }
}
