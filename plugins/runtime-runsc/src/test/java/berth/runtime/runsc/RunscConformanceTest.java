package berth.runtime.runsc;

import berth.runtime.testkit.RuntimeConformanceSuite;

/** gVisor's runsc under conmon against the runtime conformance suite. */
class RunscConformanceTest extends RuntimeConformanceSuite {
    @Override
    protected String providerId() {
        return "runsc";
    }
}
