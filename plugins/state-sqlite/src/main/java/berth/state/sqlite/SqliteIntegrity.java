package berth.state.sqlite;

import berth.kernel.error.BerthException;
import berth.support.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * When to run {@code PRAGMA quick_check}, and what it found. SQLite notices a damaged b-tree only
 * when a query walks into the damage, and a write into such a tree can lose rows silently; a full
 * check finds it first, but costs about 0.4 ms at 30 containers, 0.7 ms at 100 and 5 ms at 1,000, on
 * every command. So it runs only when the files are not as a berth process left them: every commit
 * (and close) records the database's and its WAL's size, modification time and inode in
 * {@code db.sql.verified} (about 0.1 ms, no fsync); an open that finds them otherwise (a berth
 * killed between a commit and its stamp, a write by another program, a file restored or replaced, no
 * stamp at all) checks first. A damaged database is not stamped, so
 * each open checks (and warns) again until the file is replaced.
 */
final class SqliteIntegrity {
    private static final int MAX_PROBLEMS = 5;

    private SqliteIntegrity() {
    }

    static Path stampFile(Path db) {
        return db.resolveSibling(db.getFileName() + ".verified");
    }

    /** Whether the files are as the last berth process to close the store left them. */
    static boolean unchangedSinceLastClose(Path db) {
        try {
            String recorded = Files.readString(stampFile(db));
            return recorded.equals(stamp(db));
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    /** Records the files as this process leaves them (after a commit, at close); a stamp that cannot be written only costs a check later. */
    static void recordClose(Path db) {
        try {
            String now = stamp(db);
            Path f = stampFile(db);
            if (!Files.exists(db) || (Files.exists(f) && Files.readString(f).equals(now))) {
                return;
            }
            AtomicFiles.write(f, now, AtomicFiles.Durability.NONE); // lost to a power cut: the next open checks
        } catch (IOException | BerthException e) {
            // unstamped: the next open checks
        }
    }

    /** The files' stamp now, or empty when they cannot be read. */
    static Optional<String> currentStamp(Path db) {
        try {
            return Optional.of(stamp(db));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * Records {@code checked}, the stamp of the files that quick_check found sound, when they are still
     * so: a read-only command that checked then leaves them stamped. Without it, files that changed
     * outside berth's commits (another program's read that checkpointed the WAL, a stamp lost in a race
     * of concurrent writers) made every later open check again, until the next write: about 12 ms of
     * CPU (the check alone) on each {@code volume ls} over 1,000 volumes.
     */
    static void recordVerified(Path db, String checked) {
        try {
            if (stamp(db).equals(checked)) {
                AtomicFiles.write(stampFile(db), checked, AtomicFiles.Durability.NONE);
            }
        } catch (IOException | BerthException e) {
            // unstamped: the next open checks again
        }
    }

    /** Forgets the stamp: the database was found damaged, and every open checks again. */
    static void forget(Path db) {
        try {
            Files.deleteIfExists(stampFile(db));
        } catch (IOException e) {
            // a stale stamp cannot match the damaged files' next change anyway
        }
    }

    /** Whether a file is there with something to check (SQLite makes a new database in an empty one). */
    static boolean hasContent(Path db) {
        try {
            return Files.size(db) > 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** The problems quick_check reports (the first few), or empty when it says ok. */
    static Optional<List<String>> quickCheck(Connection conn) throws SQLException {
        List<String> problems = new ArrayList<>();
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("PRAGMA quick_check(" + MAX_PROBLEMS + ")")) {
            while (rs.next()) {
                problems.add(rs.getString(1));
            }
        }
        if (problems.size() == 1 && "ok".equals(problems.get(0))) {
            return Optional.empty();
        }
        return Optional.of(problems);
    }

    private static String stamp(Path db) throws IOException {
        return part(db) + " " + part(SqliteFiles.journal(db, "-wal"));
    }

    private static String part(Path f) throws IOException {
        try {
            BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
            return a.size() + ":" + a.lastModifiedTime().toInstant() + ":" + a.fileKey();
        } catch (NoSuchFileException e) {
            return "-";
        }
    }
}
