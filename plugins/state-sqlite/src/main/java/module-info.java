/**
 * The SQLite state backend: one database, {@code STATIC_DIR/db.sql}, with libpod's SQLite layout
 * (DBConfig, ID/name namespace, container config and state as JSON, exec sessions, dependencies),
 * WAL journaling and immediate write transactions. Provides
 * {@link berth.kernel.spi.state.StateStoreProvider} with the id {@code sqlite}; exports nothing.
 * The provider class touches no sqlite-jdbc (or java.sql) class until a store is opened.
 */
module berth.state.sqlite {
    requires berth.kernel;
    requires berth.support;
    requires java.sql;
    requires org.xerial.sqlitejdbc;

    provides berth.kernel.spi.state.StateStoreProvider with berth.state.sqlite.SqliteStateStoreProvider;
}
