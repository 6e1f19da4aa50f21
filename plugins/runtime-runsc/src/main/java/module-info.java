/**
 * The runsc OCI runtime, driven through conmon with berth's OCI support module. Provides
 * {@link berth.kernel.spi.runtime.OciRuntimeProvider} with the id {@code runsc}; exports nothing.
 */
module berth.runtime.runsc {
    requires berth.kernel;
    requires berth.oci;

    provides berth.kernel.spi.runtime.OciRuntimeProvider with berth.runtime.runsc.RunscProvider;
}
