/**
 * The conformance kit for the {@link berth.kernel.spi.network.NetworkBackend} SPI. A backend's test
 * class extends {@link berth.network.testkit.NetworkConformanceSuite}, names its provider id and the
 * network mode to request; the suite loads the provider through {@link berth.kernel.plugin.PluginRegistry}
 * as berth does, makes real network namespaces and checks setup, teardown (also of half-made setups),
 * the typed status against the namespace, and each capability the backend declares.
 */
module berth.network.testkit {
    requires transitive berth.kernel;
    requires transitive org.junit.jupiter.api;

    exports berth.network.testkit;
    // JUnit instantiates the suite's subclasses and calls its methods reflectively.
    opens berth.network.testkit;

    uses berth.kernel.spi.network.NetworkBackendProvider;
}
