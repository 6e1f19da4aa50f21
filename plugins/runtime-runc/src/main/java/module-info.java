/**
 * The runc OCI runtime, driven through conmon with berth's OCI support module. Provides
 * {@link berth.kernel.spi.runtime.OciRuntimeProvider} with the id {@code runc}; exports nothing.
 */
module berth.runtime.runc {
    requires berth.kernel;
    requires berth.oci;

    provides berth.kernel.spi.runtime.OciRuntimeProvider with berth.runtime.runc.RuncProvider;
}
