package berth.runtime.runc;

import berth.runtime.testkit.RuntimeConformanceSuite;

/** runc under conmon against the runtime conformance suite. */
class RuncConformanceTest extends RuntimeConformanceSuite {
    @Override
    protected String providerId() {
        return "runc";
    }
}
