/**
 * The berth engine: container lifecycle (seed 000), OCI spec generation (seed 002), configuration
 * and the one entry point, {@link berth.engine.Engine}, that the CLI and embedding Java programs use.
 * It reaches plugins only through the kernel's SPIs and registry; it names none of them.
 */
module berth.engine {
    requires transitive berth.kernel;
    requires berth.support;
    requires org.apache.commons.compress; // volume import and export
    requires com.sun.jna; // network namespaces made in-process (NetNs)

    exports berth.engine;
    exports berth.engine.events;
}
