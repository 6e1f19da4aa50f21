package berth.runtime.crun;

import berth.runtime.testkit.RuntimeConformanceSuite;

/** crun under conmon against the runtime conformance suite. */
class CrunConformanceTest extends RuntimeConformanceSuite {
    @Override
    protected String providerId() {
        return "crun";
    }
}
