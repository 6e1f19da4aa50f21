/**
 * The file state backend: one JSON document per container under the static directory, written
 * atomically and guarded by a file lock. Provides {@link berth.kernel.spi.state.StateStoreProvider}
 * with the id {@code file}; exports nothing.
 */
module berth.state.file {
    requires berth.kernel;
    requires berth.support;

    provides berth.kernel.spi.state.StateStoreProvider with berth.state.file.FileStateStoreProvider;
}
