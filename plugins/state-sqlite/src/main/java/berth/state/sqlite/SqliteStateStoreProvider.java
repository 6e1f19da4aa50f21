package berth.state.sqlite;

import berth.kernel.spi.state.StateStore;
import berth.kernel.spi.state.StateStoreConfig;
import berth.kernel.spi.state.StateStoreProvider;

/**
 * Provider of the {@code sqlite} state backend. Finding and describing it is free: this class
 * refers to the store only inside {@link #open}, so neither sqlite-jdbc nor java.sql is loaded (nor
 * the native library extracted) until a command actually opens the state.
 */
public final class SqliteStateStoreProvider implements StateStoreProvider {
    @Override
    public String id() {
        return "sqlite";
    }

    @Override
    public String description() {
        return "SQLite database STATIC_DIR/" + SqliteFiles.FILE_NAME + " (libpod's schema, WAL, immediate transactions)";
    }

    @Override
    public StateStore open(StateStoreConfig config) {
        return SqliteStateStore.open(config);
    }
}
