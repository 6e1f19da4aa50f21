/**
 * Support for runtime plugins whose runtime is an OCI command-line tool driven through conmon (runc,
 * crun, runsc): the conmon driver, the attach protocol and the few native calls they need (JNA).
 * Runtime plugins use it; the engine never does (a shim-v2 runtime such as kata would not).
 */
module berth.oci {
    requires transitive berth.kernel;
    requires berth.support;
    requires com.sun.jna;

    exports berth.oci.conmon;
}
