package berth.state.bolt;

import berth.kernel.spi.state.StateStore;
import berth.kernel.spi.state.StateStoreConfig;
import berth.kernel.spi.state.StateStoreProvider;

/**
 * Provider of the {@code boltdb} state backend. Cheap to load: no static state; the database code
 * and JNA are loaded by {@link #open}.
 */
public final class BoltStateStoreProvider implements StateStoreProvider {
    @Override
    public String id() {
        return "boltdb";
    }

    @Override
    public String description() {
        return "bbolt database STATIC_DIR/bolt_state.db in libpod's layout (reads podman 4 state)";
    }

    @Override
    public StateStore open(StateStoreConfig config) {
        return BoltStateStore.open(config);
    }
}
