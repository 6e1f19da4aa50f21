package berth.network.pasta;

import berth.network.testkit.NetworkConformanceSuite;
import java.util.List;

/**
 * The pasta backend against the network conformance kit: port publishing, no peers (every container
 * gets a copy of the host's own address, so containers do not reach one another by address).
 */
class PastaConformanceTest extends NetworkConformanceSuite {
    @Override
    protected String providerId() {
        return "pasta";
    }

    @Override
    protected String mode() {
        return "pasta";
    }

    @Override
    protected List<String> requiredTools() {
        return List.of("pasta", "nsenter");
    }
}
