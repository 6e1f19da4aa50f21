package berth.state.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.spi.state.StateStore;
import berth.kernel.spi.state.StateStoreConfig;
import berth.state.testkit.Workload;
import java.nio.file.Files;
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

    /**
     * SQLite reads through a damaged freelist without noticing, and would hand out a page that is in
     * use to the next write (the fuzzer found writes losing records so). The file changed since a
     * berth last closed it, so the open runs PRAGMA quick_check: it reads, warns, and refuses writes.
     */
    @Test
    void aDamagedDatabaseIsReadButNeverWritten() throws Exception {
        try (StateStore s = open()) {
            for (int i = 0; i < 40; i++) {
                s.addContainer(Workload.container("qc", 0, i, 1));
            }
            for (int i = 0; i < 40; i += 2) {
                s.removeContainer(Workload.id("qc", 0, i)); // free pages: a freelist
            }
        }
        Path f = tmp.resolve(SqliteFiles.FILE_NAME).toAbsolutePath();
        assertTrue(Files.exists(SqliteIntegrity.stampFile(f)), "a clean close stamps the files");
        byte[] bytes = Files.readAllBytes(f);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(bytes);
        int free = b.getInt(36);
        assertTrue(free > 0, "the test needs a freelist");
        b.putInt(36, free + 3); // the header's freelist size no longer matches the list
        Files.write(f, bytes);

        try (StateStore s = open()) {
            assertEquals(20, s.allContainers().size(), "what is readable is read");
            assertTrue(warnings.stream().anyMatch(w -> w.contains(f.toString()) && w.contains("quick_check")), warnings.toString());
            BerthException e = assertThrows(BerthException.class, () -> s.addContainer(Workload.container("qc", 1, 0, 1)));
            assertEquals(ErrorCode.STATE_CORRUPT, e.code());
            assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("writes nothing"), e.getMessage());
            assertThrows(BerthException.class, () -> s.removeContainer(Workload.id("qc", 0, 1)));
        }
        assertFalse(Files.exists(SqliteIntegrity.stampFile(f)), "a damaged database is never stamped: each open checks again");
        try (StateStore s = open()) {
            assertEquals(20, s.allContainers().size(), "no record was lost");
        }
    }

    /** An unchanged file is not checked again (the check costs a scan of the whole file). */
    @Test
    void anUnchangedDatabaseIsNotCheckedAgain() throws Exception {
        Path f = tmp.resolve(SqliteFiles.FILE_NAME).toAbsolutePath();
        try (StateStore s = open()) {
            s.addContainer(Workload.container("qc", 0, 0, 1));
            // the CLI ends by halt without closing the store: the commit itself leaves the stamp
            assertTrue(SqliteIntegrity.unchangedSinceLastClose(f), "a commit stamps the files");
        }
        assertTrue(SqliteIntegrity.unchangedSinceLastClose(f));
        Files.writeString(SqliteIntegrity.stampFile(f), "0:x:y -"); // as if another program had changed the files
        assertFalse(SqliteIntegrity.unchangedSinceLastClose(f));
        try (StateStore s = open()) {
            assertEquals(1, s.allContainers().size());
        }
        assertTrue(SqliteIntegrity.unchangedSinceLastClose(f), "checked and found whole: stamped again");
        assertEquals(List.of(), warnings);
    }

    /**
     * A read-only command (the CLI halts without closing the store) that had to check the files stamps
     * them once the check finds them whole: the opens after it do not check again.
     */
    @Test
    void aCheckThatFindsTheFilesWholeStampsThemForReadersToo() throws Exception {
        Path f = tmp.resolve(SqliteFiles.FILE_NAME).toAbsolutePath();
        try (StateStore s = open()) {
            s.addContainer(Workload.container("qc", 0, 0, 1));
        }
        Files.writeString(SqliteIntegrity.stampFile(f), "0:x:y -"); // as if another program had changed the files
        try (StateStore s = open()) {
            assertTrue(SqliteIntegrity.unchangedSinceLastClose(f), "checked at open and found whole: stamped before any write or close");
            assertEquals(1, s.allContainers().size());
        }
        assertEquals(List.of(), warnings);
    }
}
