package berth.api.docker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalNotFoundException;

/** The socket's file: its directory made, a stale socket removed, and mode 0660 with the {@code berth} group. */
final class SocketFile {
    private SocketFile() {
    }

    static void prepare(Path socket) throws IOException {
        Files.createDirectories(socket.getParent());
        // a socket left by a killed service would make the bind fail
        Files.deleteIfExists(socket);
    }

    static void secure(Path socket) throws IOException {
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw----"));
        try {
            GroupPrincipal g = socket.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName("berth");
            Files.getFileAttributeView(socket, PosixFileAttributeView.class).setGroup(g);
        } catch (UserPrincipalNotFoundException e) {
            // no berth group: root only
        }
    }
}
