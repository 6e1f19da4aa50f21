package berth.network.cni;

import static org.junit.jupiter.api.Assertions.assertFalse;

import berth.kernel.spi.network.NetworkEnvironment;
import berth.kernel.spi.network.NetworkRequest;
import berth.network.testkit.NetworkConformanceSuite;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/** The CNI backend against the network conformance kit, on its own network, bridge and subnet per test. */
class CniNetworkConformanceTest extends NetworkConformanceSuite {
    @Override
    protected String providerId() {
        return "cni";
    }

    @Override
    protected String mode() {
        return "bridge";
    }

    @Override
    protected List<String> pluginDirs() {
        return List.of("/usr/lib/cni");
    }

    @Override
    protected List<String> requiredTools() {
        return List.of("/usr/lib/cni/bridge", "/usr/lib/cni/host-local", "/usr/lib/cni/portmap", "/usr/lib/cni/firewall",
                "/usr/lib/cni/tuning", "/usr/lib/cni/loopback", "iptables", "iptables-save");
    }

    @Override
    protected Map<String, String> backendOptions(String tag) {
        return Map.of("default_network", "kit" + tag, "bridge_prefix", "bk" + tag,
                "default_subnet", unusedSubnet("10.89.192.0/18"), "subnet_pool", "10.89.128.0/18");
    }

    /** host-local hands out one address on request ({@code --network bridge:ip=...}). */
    @Override
    protected Optional<Map<String, String>> staticAddressOptions(String address) {
        return Optional.of(Map.of("ip", address));
    }

    @Override
    protected void cleanUpHost(String tag, Map<String, String> options) {
        deleteHostInterfaces(options.get("bridge_prefix"));
    }

    /** No host-local lease, port registration or hosts line of the container is left in the run directory. */
    @Override
    protected void assertNothingLeftBehind(NetworkRequest request, NetworkEnvironment env) {
        Path run = env.runDir();
        try {
            for (Path dir : List.of(run.resolve("cni-ipam"), run.resolve("cni-hosts"))) {
                if (Files.isDirectory(dir)) {
                    try (Stream<Path> files = Files.walk(dir)) {
                        for (Path f : files.filter(Files::isRegularFile).toList()) {
                            assertFalse(Files.readString(f).contains(request.containerId()), f + " still names the container");
                        }
                    }
                }
            }
            Path ports = run.resolve("cni-ports");
            assertFalse(Files.exists(ports) && Files.readString(ports).contains(request.containerId()), "port registry names the container");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
