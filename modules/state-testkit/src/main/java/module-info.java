/**
 * The conformance kit for the {@link berth.kernel.spi.state.StateStore} SPI. A backend's test class
 * extends {@link berth.state.testkit.StateStoreConformanceSuite} and names its provider id; the suite
 * loads that provider through {@link berth.kernel.plugin.PluginRegistry}, as production does, and
 * checks the whole contract, including several writer processes at once and a writer killed with
 * SIGKILL. {@link berth.state.testkit.StoreWorker} is the main class those child JVMs run.
 */
module berth.state.testkit {
    requires transitive berth.kernel;
    requires berth.support;
    requires transitive berth.testsupport;
    requires transitive org.junit.jupiter.api;

    exports berth.state.testkit;
    // JUnit instantiates the suite's subclasses and calls its methods reflectively.
    opens berth.state.testkit;

    uses berth.kernel.spi.state.StateStoreProvider;
}
