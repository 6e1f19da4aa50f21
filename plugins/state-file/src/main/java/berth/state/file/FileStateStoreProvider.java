package berth.state.file;

import berth.kernel.spi.state.StateStore;
import berth.kernel.spi.state.StateStoreConfig;
import berth.kernel.spi.state.StateStoreProvider;

/** Provider of the {@code file} state backend. */
public final class FileStateStoreProvider implements StateStoreProvider {
    @Override
    public String id() {
        return "file";
    }

    @Override
    public String description() {
        return "one JSON file per container, atomic rename, flock-guarded";
    }

    @Override
    public StateStore open(StateStoreConfig config) {
        return FileStateStore.open(config);
    }
}
