package berth.state.sqlite;

import berth.kernel.model.Container;
import berth.kernel.spi.state.StateStoreConfig;
import berth.state.testkit.Workload;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.sqlite.SQLiteConfig;

/**
 * Main class of the child JVMs that {@link SqliteStateStoreConformanceTest} kills with SIGKILL in
 * the middle of a write transaction. Runs with the test classes patched into berth.state.sqlite.
 * <ul>
 *   <li>{@code hold DIR VICTIM_ID}: begins a write transaction that adds a half container (namespace
 *       and config rows, no state row), overwrites VICTIM_ID's state with torn JSON and writes a few
 *       MB more, with a page cache so small that the uncommitted pages spill into the WAL; prints
 *       {@code IN_TXN} and waits to be killed.</li>
 *   <li>{@code batches DIR SIZE FIRST}: adds batches of SIZE containers numbered from FIRST on, each
 *       batch one transaction ({@link SqliteStateStore#addContainers}), printing {@code BATCH N} after
 *       each commit, until killed.</li>
 * </ul>
 */
public final class SqliteCrashVictim {
    private SqliteCrashVictim() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
        Path dir = Path.of(args[1]);
        StateStoreConfig cfg = new StateStoreConfig(dir, Workload.dbConfig(dir), Map.of(), w -> emit(out, "WARNING " + w));
        if (args[0].equals("hold")) {
            SqliteStateStore.open(cfg).close(); // the schema exists
            SQLiteConfig c = new SQLiteConfig();
            c.setBusyTimeout(10_000);
            try (Connection conn = c.createConnection("jdbc:sqlite:" + dir.resolve("db.sql"));
                 Statement st = conn.createStatement()) {
                st.execute("PRAGMA cache_size = 8");
                st.execute("BEGIN IMMEDIATE");
                Container ghost = Workload.container("ghost", 0, 0, 0);
                try (PreparedStatement ps = conn.prepareStatement("INSERT INTO IDNamespace(ID, Name, Kind) VALUES (?, ?, 'container')")) {
                    ps.setString(1, ghost.id());
                    ps.setString(2, ghost.name());
                    ps.executeUpdate();
                }
                try (PreparedStatement ps = conn.prepareStatement("INSERT INTO ContainerConfig(ID, Name, JSON) VALUES (?, ?, ?)")) {
                    ps.setString(1, ghost.id());
                    ps.setString(2, ghost.name());
                    ps.setString(3, berth.kernel.json.Json.write(ghost.config().toJson()));
                    ps.executeUpdate();
                }
                try (PreparedStatement ps = conn.prepareStatement("UPDATE ContainerState SET JSON = '{\"torn' WHERE ID = ?")) {
                    ps.setString(1, args[2]);
                    ps.executeUpdate();
                }
                // Enough uncommitted pages that they spill from the 8-page cache into the WAL.
                st.execute("CREATE TABLE Filler(X BLOB)");
                try (PreparedStatement ps = conn.prepareStatement("INSERT INTO Filler(X) VALUES (randomblob(4096))")) {
                    for (int i = 0; i < 1000; i++) {
                        ps.executeUpdate();
                    }
                }
                emit(out, "IN_TXN");
                Thread.sleep(600_000);
            }
            return;
        }
        if (args[0].equals("batches")) {
            int size = Integer.parseInt(args[2]);
            int first = Integer.parseInt(args[3]);
            try (SqliteStateStore store = SqliteStateStore.open(cfg)) {
                emit(out, "READY");
                for (int b = first; ; b++) {
                    List<Container> batch = new ArrayList<>();
                    for (int i = 0; i < size; i++) {
                        batch.add(Workload.container("batch", b, i, 1));
                    }
                    store.addContainers(batch);
                    emit(out, "BATCH " + b);
                }
            }
        }
        throw new IllegalArgumentException("unknown mode " + args[0]);
    }

    private static void emit(PrintStream out, String line) {
        out.print(line + "\n");
        out.flush();
    }
}
