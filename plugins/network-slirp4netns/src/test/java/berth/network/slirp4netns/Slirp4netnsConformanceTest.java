package berth.network.slirp4netns;

import berth.network.testkit.NetworkConformanceSuite;
import java.util.List;

/** The slirp4netns backend against the network conformance kit (no peers: each container has its own 10.0.2.0/24). */
class Slirp4netnsConformanceTest extends NetworkConformanceSuite {
    @Override
    protected String providerId() {
        return "slirp4netns";
    }

    @Override
    protected String mode() {
        return "slirp4netns";
    }

    @Override
    protected List<String> requiredTools() {
        return List.of("slirp4netns", "setsid");
    }
}
