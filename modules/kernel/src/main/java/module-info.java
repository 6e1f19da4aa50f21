/**
 * The berth kernel: the service provider interfaces that plugins implement (OCI runtimes, state
 * stores, networks, hooks, image stores), the value types they exchange, and the one plugin registry that finds
 * providers through {@link java.util.ServiceLoader}. It depends on nothing heavy and knows no plugin.
 */
module berth.kernel {
    exports berth.kernel.error;
    exports berth.kernel.json;
    exports berth.kernel.model;
    exports berth.kernel.plugin;
    exports berth.kernel.spi.runtime;
    exports berth.kernel.spi.state;
    exports berth.kernel.spi.network;
    exports berth.kernel.spi.hook;
    exports berth.kernel.spi.image;
    exports berth.kernel.spi.lock;
    exports berth.kernel.trace;

    uses berth.kernel.spi.runtime.OciRuntimeProvider;
    uses berth.kernel.spi.state.StateStoreProvider;
    uses berth.kernel.spi.network.NetworkBackendProvider;
    uses berth.kernel.spi.hook.HookProvider;
    uses berth.kernel.spi.image.ImageStoreProvider;
    uses berth.kernel.spi.lock.LockManagerProvider;
}
