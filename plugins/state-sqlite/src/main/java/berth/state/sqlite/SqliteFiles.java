package berth.state.sqlite;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks the file at the database path before SQLite opens it, so that a file that is not an SQLite
 * database, or one cut short, is refused with a message that names it and says what is wrong, and is
 * never written to. SQLite alone would report "file is not a database" only at the first query, or
 * read a truncated file's missing pages as zeros.
 *
 * <p>The header (https://www.sqlite.org/fileformat2.html#the_database_header): bytes 0-15 are
 * "SQLite format 3\0"; 16-17 the page size (1 means 65536); 28-31 the size in pages, valid when the
 * change counter (24-27) equals the version-valid-for number (92-95). A WAL or rollback journal that
 * is not empty may hold pages the main file lacks (a crash in the middle of a checkpoint leaves a
 * short main file that recovery completes), so the size check is made only without one.
 */
final class SqliteFiles {
    static final String FILE_NAME = "db.sql";
    private static final byte[] MAGIC = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);
    private static final int HEADER = 100;
    private static final String ADVICE = "; the file was left as it is: move it aside to start with an empty state, or restore it from a backup";

    private SqliteFiles() {
    }

    /** Returns normally for a missing or empty file (SQLite makes a new database there) or a plausible database. */
    static void check(Path db) {
        if (!Files.exists(db)) {
            return;
        }
        if (Files.isDirectory(db)) {
            throw corrupt(db, "is a directory, not an SQLite database");
        }
        long size;
        byte[] head = new byte[HEADER];
        int n;
        try {
            size = Files.size(db);
            try (InputStream in = Files.newInputStream(db)) {
                n = in.readNBytes(head, 0, HEADER);
            }
        } catch (IOException e) {
            throw new BerthException(ErrorCode.STATE_CORRUPT, "state database " + db + " cannot be read: " + e.getMessage(), e);
        }
        if (size == 0) {
            return;
        }
        int magicLen = Math.min(n, MAGIC.length);
        for (int i = 0; i < magicLen; i++) {
            if (head[i] != MAGIC[i]) {
                throw corrupt(db, "is not an SQLite database (it begins with " + preview(head, n) + ")");
            }
        }
        if (n < HEADER) {
            throw corrupt(db, "is truncated: " + size + " bytes, shorter than the " + HEADER + "-byte SQLite header");
        }
        int pageSize = ((head[16] & 0xff) << 8) | (head[17] & 0xff);
        if (pageSize == 1) {
            pageSize = 65536;
        }
        if (pageSize < 512 || pageSize > 65536 || Integer.bitCount(pageSize) != 1) {
            throw corrupt(db, "has a damaged SQLite header (page size " + pageSize + ")");
        }
        if (hasContent(journal(db, "-wal")) || hasContent(journal(db, "-journal"))) {
            return; // recovery from the journal may complete the file
        }
        if (size % pageSize != 0) {
            throw corrupt(db, "is truncated: " + size + " bytes is not a whole number of " + pageSize + "-byte pages");
        }
        long pages = u32(head, 28);
        boolean pagesValid = pages > 0 && u32(head, 24) == u32(head, 92);
        if (pagesValid && size < pages * pageSize) {
            throw corrupt(db, "is truncated: its header says " + pages + " pages of " + pageSize + " bytes ("
                    + pages * pageSize + " bytes) but the file has " + size + " bytes");
        }
    }

    static Path journal(Path db, String suffix) {
        return db.resolveSibling(db.getFileName() + suffix);
    }

    private static boolean hasContent(Path p) {
        try {
            return Files.isRegularFile(p) && Files.size(p) > 0;
        } catch (IOException e) {
            return false;
        }
    }

    private static long u32(byte[] b, int off) {
        return ((long) (b[off] & 0xff) << 24) | ((b[off + 1] & 0xff) << 16) | ((b[off + 2] & 0xff) << 8) | (b[off + 3] & 0xff);
    }

    private static String preview(byte[] b, int n) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < Math.min(n, 16); i++) {
            int c = b[i] & 0xff;
            if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
                sb.append((char) c);
            } else {
                sb.append(String.format("\\x%02x", c));
            }
        }
        return sb.append('"').toString();
    }

    static BerthException corrupt(Path db, String what) {
        return new BerthException(ErrorCode.STATE_CORRUPT, "state database " + db + " " + what + ADVICE);
    }
}
