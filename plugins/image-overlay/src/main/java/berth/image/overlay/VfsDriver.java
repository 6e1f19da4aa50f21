package berth.image.overlay;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.support.FileTrees;
import berth.support.Subprocess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * containers/storage's vfs driver: every layer is a full copy of its parent plus its own changes,
 * in {@code vfs/dir/<id>}; a container's root filesystem is its layer's directory, nothing is mounted.
 * The copy is {@code cp -a}: it keeps owners, modes, times, links, device nodes and xattrs, which
 * Java's file API cannot all do.
 */
final class VfsDriver implements LayerDriver {
    private final Path home;

    VfsDriver(Path home) {
        this.home = home;
    }

    @Override
    public Path home() {
        return home;
    }

    @Override
    public String name() {
        return "vfs";
    }

    @Override
    public Path diffDir(String id) {
        return home.resolve("dir").resolve(id);
    }

    @Override
    public boolean appliesWhiteouts() {
        return true;
    }

    @Override
    public Path mountPoint(String id) {
        return diffDir(id);
    }

    @Override
    public void create(String id, String parent) {
        Path dir = diffDir(id);
        try {
            if (!Files.isDirectory(dir.getParent())) {
                Files.createDirectories(dir.getParent());
                Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------")); // as c/storage makes them
                Files.setPosixFilePermissions(dir.getParent(), PosixFilePermissions.fromString("rwx------"));
            }
            if (Files.exists(dir)) {
                FileTrees.delete(dir);
            }
            if (parent.isEmpty()) {
                Files.createDirectory(dir);
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            } else {
                Subprocess.of("cp", "-a", "--reflink=auto", diffDir(parent).toString(), dir.toString())
                        .check(ErrorCode.INTERNAL);
            }
        } catch (IOException | RuntimeException e) {
            FileTrees.delete(dir);
            throw new BerthException(ErrorCode.INTERNAL, "cannot create layer " + id + " in " + home + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Path mount(String id) {
        return diffDir(id);
    }

    @Override
    public void unmount(String id) {
        // nothing is mounted
    }

    @Override
    public void remove(String id) {
        FileTrees.delete(diffDir(id));
    }
}
