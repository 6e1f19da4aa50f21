package berth.support;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Recursive deletion. It never follows a symbolic link (a link is deleted, not what it points to,
 * so a container's tree cannot reach outside itself), and a path that is missing, or vanishes
 * while it runs, is not an error. It asks {@link Files#isDirectory} and calls
 * {@link Files#deleteIfExists}, which report a missing path without an exception: {@code rm -a} of
 * thousands of never-started containers meets thousands of missing directories, and an exception
 * each (with its stack trace) is measurable there.
 */
public final class FileTrees {
    private FileTrees() {
    }

    /**
     * Deletes {@code root} and, when it is a directory (not a link to one), everything below it,
     * depth first.
     *
     * @throws BerthException {@link ErrorCode#INTERNAL} naming the path that could not be deleted
     *     or listed; what was deleted before stays deleted
     */
    public static void delete(Path root) {
        try {
            deleteTree(root);
        } catch (IOException e) {
            throw new BerthException(ErrorCode.INTERNAL, "cannot delete " + root + ": " + e.getMessage(), e);
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(p)) {
                for (Path e : entries) {
                    deleteTree(e);
                }
            } catch (NoSuchFileException gone) {
                return; // removed under us
            }
        }
        Files.deleteIfExists(p);
    }
}
