/**
 * The conformance kit for the {@link berth.kernel.spi.runtime.OciRuntime} SPI. A runtime plugin's
 * test class extends {@link berth.runtime.testkit.RuntimeConformanceSuite} and names its provider id;
 * the suite loads the provider through {@link berth.kernel.plugin.PluginRegistry}, as berth does,
 * makes its own busybox root filesystem and OCI bundles, and drives the SPI directly: lifecycle, exit
 * reporting, signals, stop escalation, attach, exec, and one proof for every declared
 * {@link berth.kernel.spi.runtime.RuntimeFeature}.
 */
module berth.runtime.testkit {
    requires transitive berth.kernel;
    requires transitive org.junit.jupiter.api;

    exports berth.runtime.testkit;
    // JUnit instantiates the suite's subclasses and calls its methods reflectively.
    opens berth.runtime.testkit;

    uses berth.kernel.spi.runtime.OciRuntimeProvider;
}
