/**
 * The boltdb state backend: berth's state in a bbolt database file ({@code STATIC_DIR/bolt_state.db}),
 * written and read in pure Java in bbolt's on-disk format with libpod's bucket layout, so that a
 * podman 4 state database can be read (its containers listed) and the files berth writes pass Go
 * bbolt's consistency check. Provides {@link berth.kernel.spi.state.StateStoreProvider} with the id
 * {@code boltdb}; exports nothing. The bbolt format itself lives in {@code berth.bolt.support}.
 */
module berth.state.bolt {
    requires berth.kernel;
    requires berth.support;
    requires berth.bolt.support;

    provides berth.kernel.spi.state.StateStoreProvider with berth.state.bolt.BoltStateStoreProvider;
}
