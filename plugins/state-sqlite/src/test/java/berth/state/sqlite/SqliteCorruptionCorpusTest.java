package berth.state.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.spi.state.StateStore;
import berth.kernel.spi.state.StateStoreConfig;
import berth.state.testkit.Workload;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Damage that {@link SqliteCorruptionFuzzTest} once found escaping, checked as plain JUnit regressions. */
class SqliteCorruptionCorpusTest {
    @TempDir
    Path tmp;
    final List<String> warnings = new ArrayList<>();

    private StateStore open() {
        return new SqliteStateStoreProvider().open(new StateStoreConfig(tmp, Workload.dbConfig(tmp), Map.of(), warnings::add));
    }

    /**
     * A flipped byte turned the "name" key of a record into another key: the record decoded with a
     * null name and was listed, and callers that sort or match by name failed with a NullPointerException.
     */
    @Test
    void aRecordWithoutANameIsACorruptRecord() throws Exception {
        try (StateStore s = open()) {
            for (int i = 0; i < 3; i++) {
                s.addContainer(Workload.container("cc", 0, i, 1));
            }
        }
        Path f = tmp.resolve(SqliteFiles.FILE_NAME).toAbsolutePath();
        String id = Workload.id("cc", 0, 1);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + f);
                PreparedStatement ps = c.prepareStatement("UPDATE ContainerConfig SET JSON = replace(JSON, '\"name\":', '\"nbme\":') WHERE ID = ?")) {
            ps.setString(1, id);
            assertEquals(1, ps.executeUpdate());
        }
        try (StateStore s = open()) {
            assertEquals(2, s.allContainers().size());
            assertTrue(warnings.stream().anyMatch(w -> w.contains(id) && w.contains(f.toString())), warnings.toString());
            BerthException e = assertThrows(BerthException.class, () -> s.container(id));
            assertEquals(ErrorCode.STATE_CORRUPT, e.code());
            assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("no name"), e.getMessage());
        }
    }
}
