package berth.state.sqlite;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The schema, as forward migrations. The version lives in the database header's
 * {@code PRAGMA user_version}, which SQLite writes in the same transaction as the migration itself, so
 * a migration is applied whole or not at all. Modelled on libpod's SQLite state
 * (sqlite_state_internal.go): a one-row DBConfig, one namespace for IDs and names, container config
 * and state as JSON, exec sessions and dependencies as index tables. The JSON columns are
 * authoritative; Status and ExitCode copy fields of the state JSON so queries can filter on them.
 */
final class SqliteSchema {
    /** The newest version this code knows; a database with a newer one is refused, never touched. */
    static final int CURRENT = 3;

    private static final List<List<String>> MIGRATIONS = List.of(
            // 1: the tables.
            List.of(
                    "CREATE TABLE DBConfig("
                            + " ID INTEGER PRIMARY KEY NOT NULL CHECK (ID = 1),"
                            + " OS TEXT NOT NULL,"
                            + " StaticDir TEXT,"
                            + " TmpDir TEXT,"
                            + " GraphRoot TEXT,"
                            + " RunRoot TEXT,"
                            + " VolumeDir TEXT)",
                    // Containers and pods share one namespace of IDs and one of names, as in podman.
                    "CREATE TABLE IDNamespace("
                            + " ID TEXT PRIMARY KEY NOT NULL,"
                            + " Name TEXT NOT NULL UNIQUE,"
                            + " Kind TEXT NOT NULL CHECK (Kind IN ('container', 'pod')),"
                            + " UNIQUE (ID, Name))",
                    "CREATE TABLE ContainerConfig("
                            + " ID TEXT PRIMARY KEY NOT NULL,"
                            + " Name TEXT NOT NULL UNIQUE,"
                            + " JSON TEXT NOT NULL,"
                            + " FOREIGN KEY (ID, Name) REFERENCES IDNamespace(ID, Name) DEFERRABLE INITIALLY DEFERRED,"
                            + " FOREIGN KEY (ID) REFERENCES ContainerState(ID) DEFERRABLE INITIALLY DEFERRED)",
                    "CREATE TABLE ContainerState("
                            + " ID TEXT PRIMARY KEY NOT NULL,"
                            + " Status TEXT NOT NULL,"
                            + " ExitCode INTEGER NOT NULL,"
                            + " JSON TEXT NOT NULL,"
                            + " FOREIGN KEY (ID) REFERENCES ContainerConfig(ID) DEFERRABLE INITIALLY DEFERRED)",
                    "CREATE TABLE ContainerExecSession("
                            + " ID TEXT PRIMARY KEY NOT NULL,"
                            + " ContainerID TEXT NOT NULL,"
                            + " FOREIGN KEY (ContainerID) REFERENCES ContainerConfig(ID) DEFERRABLE INITIALLY DEFERRED)",
                    "CREATE TABLE ContainerDependency("
                            + " ID TEXT NOT NULL,"
                            + " DependencyID TEXT NOT NULL,"
                            + " PRIMARY KEY (ID, DependencyID),"
                            + " FOREIGN KEY (ID) REFERENCES ContainerConfig(ID) DEFERRABLE INITIALLY DEFERRED,"
                            + " FOREIGN KEY (DependencyID) REFERENCES ContainerConfig(ID),"
                            + " CHECK (ID <> DependencyID))"),
            // 2: indexes on the child side of the foreign keys. Without them every container removal
            // scans both tables (SQLite checks a parent delete against the child table), and
            // "who depends on X" scans ContainerDependency.
            List.of(
                    "CREATE INDEX ContainerDependencyByDependency ON ContainerDependency(DependencyID)",
                    "CREATE INDEX ContainerExecSessionByContainer ON ContainerExecSession(ContainerID)"),
            // 3: named volumes, libpod's VolumeConfig and VolumeState JSON under the volume's name (as
            // libpod's sqlite state keeps them); which containers use one is read from their configs.
            List.of(
                    "CREATE TABLE VolumeConfig("
                            + " Name TEXT PRIMARY KEY NOT NULL,"
                            + " JSON TEXT NOT NULL,"
                            + " StateJSON TEXT NOT NULL)"));

    private SqliteSchema() {
    }

    /**
     * Applies the migrations after {@code from} up to {@code to}; the caller holds a write
     * transaction (BEGIN IMMEDIATE) and commits.
     */
    static void migrate(Connection c, int from, int to) throws SQLException {
        if (to > CURRENT || from > to) {
            throw new IllegalArgumentException("cannot migrate from version " + from + " to " + to);
        }
        try (Statement st = c.createStatement()) {
            for (int v = from + 1; v <= to; v++) {
                for (String sql : MIGRATIONS.get(v - 1)) {
                    st.executeUpdate(sql);
                }
                st.executeUpdate("PRAGMA user_version = " + v);
            }
        }
    }
}
