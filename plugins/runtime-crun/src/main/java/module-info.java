/**
 * The crun OCI runtime, driven through conmon with berth's OCI support module. Provides
 * {@link berth.kernel.spi.runtime.OciRuntimeProvider} with the id {@code crun}; exports nothing.
 */
module berth.runtime.crun {
    requires berth.kernel;
    requires berth.oci;

    provides berth.kernel.spi.runtime.OciRuntimeProvider with berth.runtime.crun.CrunProvider;
}
