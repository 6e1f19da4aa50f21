package berth.engine.internal;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.support.FileTrees;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Unpacks a tar stream into a directory of a {@link ContainerTree} (the "put" half of podman's
 * copy). Each entry's parent is resolved inside the tree's root, so an entry never lands outside it,
 * whatever links the tree holds; an entry that names {@code ..} is refused; an existing symbolic link
 * at an entry's place is replaced, never written through. Directories and non-directories replace
 * each other only with {@code overwrite} (podman's {@code --overwrite}).
 */
final class TreeExtractor {
    private static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};

    /**
     * How entries are written: {@code chown} owns every entry (null keeps the archive's owners),
     * {@code rename} maps an entry's first component to another name (a file copied to a new name).
     */
    record Options(TreeArchiver.Owner chown, boolean overwrite, Map<String, String> rename) {
    }

    private final ContainerTree tree;
    private final Options o;
    private final List<Object[]> dirTimes = new ArrayList<>();

    private TreeExtractor(ContainerTree tree, Options o) {
        this.tree = tree;
        this.o = o;
    }

    /** Unpacks {@code in} into {@code destDir}, an existing directory (a resolved, clean container path). */
    static void extract(ContainerTree tree, String destDir, InputStream in, Options o) throws IOException {
        TreeExtractor x = new TreeExtractor(tree, o);
        TarArchiveInputStream tar = new TarArchiveInputStream(in);
        TarArchiveEntry e;
        while ((e = tar.getNextEntry()) != null) {
            x.put(destDir, e, tar);
        }
        for (int i = x.dirTimes.size() - 1; i >= 0; i--) { // after their content, which changes them
            Files.setLastModifiedTime((Path) x.dirTimes.get(i)[0], (FileTime) x.dirTimes.get(i)[1]);
        }
    }

    private void put(String destDir, TarArchiveEntry e, InputStream data) throws IOException {
        List<String> parts = ContainerTree.split(e.getName());
        parts.removeIf(p -> p.equals("."));
        if (parts.contains("..")) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "tar entry \"" + e.getName() + "\" points outside the destination");
        }
        if (parts.isEmpty()) {
            return; // "./": the destination itself, which stays as it is
        }
        String renamed = o.rename().get(parts.get(0));
        if (renamed != null) {
            parts.set(0, renamed);
        }
        String last = parts.remove(parts.size() - 1);
        String parentPath = destDir + "/" + String.join("/", parts);
        ContainerTree.Resolved parent = ensureDirectory(parentPath);
        String containerPath = ContainerTree.join(childOf(parent.containerPath(), last));
        Path target = tree.hostPath(containerPath);
        boolean exists = Files.exists(target, NOFOLLOW);
        boolean isDir = exists && Files.isDirectory(target, NOFOLLOW);
        if (e.isDirectory()) {
            if (exists && !isDir) {
                refuseUnlessOverwrite(containerPath, "a non-directory", "a directory");
                Files.delete(target);
            }
            if (!isDir) {
                Files.createDirectory(target);
            }
            dirTimes.add(new Object[] {target, FileTime.fromMillis(e.getLastModifiedDate().getTime())});
        } else {
            if (isDir) {
                refuseUnlessOverwrite(containerPath, "a directory", "a non-directory");
                FileTrees.delete(target);
            } else if (exists) {
                Files.delete(target); // a link in its place is replaced, never written through
            }
            if (e.isSymbolicLink()) {
                Files.createSymbolicLink(target, Path.of(e.getLinkName()));
            } else if (e.isLink()) {
                ContainerTree.Resolved src = tree.resolve(destDir + "/" + renamedName(e.getLinkName()), false);
                if (!Files.isRegularFile(src.hostPath(), NOFOLLOW)) {
                    throw new BerthException(ErrorCode.INVALID_ARGUMENT, "tar entry \"" + e.getName() + "\" links to \""
                            + e.getLinkName() + "\", which is no file of the archive");
                }
                Files.createLink(target, src.hostPath());
                return; // a hard link shares the first entry's owner and mode
            } else if (e.isFile()) {
                Files.copy(data, target, StandardCopyOption.REPLACE_EXISTING);
            } else {
                return; // devices and fifos: not made by a copy
            }
        }
        long uid = o.chown() != null ? o.chown().uid() : e.getLongUserId();
        long gid = o.chown() != null ? o.chown().gid() : e.getLongGroupId();
        Files.setAttribute(target, "unix:uid", (int) uid, NOFOLLOW);
        Files.setAttribute(target, "unix:gid", (int) gid, NOFOLLOW);
        if (!e.isSymbolicLink()) {
            Files.setPosixFilePermissions(target, permissions(e.getMode()));
            if (!e.isDirectory()) {
                Files.setLastModifiedTime(target, FileTime.fromMillis(e.getLastModifiedDate().getTime()));
            }
        }
    }

    private String renamedName(String name) {
        List<String> parts = ContainerTree.split(name);
        parts.removeIf(p -> p.equals("."));
        if (!parts.isEmpty() && o.rename().containsKey(parts.get(0))) {
            parts.set(0, o.rename().get(parts.get(0)));
        }
        return String.join("/", parts);
    }

    /** The directory at {@code path}, made (with its missing parents, mode 0755) when missing. */
    private ContainerTree.Resolved ensureDirectory(String path) throws IOException {
        ContainerTree.Resolved r = tree.resolve(path, true);
        if (r.isDirectory()) {
            return r;
        }
        if (r.exists()) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "\"" + r.containerPath() + "\" is not a directory");
        }
        ContainerTree.Resolved parent = ensureDirectory(ContainerTree.parent(r.containerPath()));
        Path dir = tree.hostPath(ContainerTree.join(childOf(parent.containerPath(), ContainerTree.baseName(r.containerPath()))));
        Files.createDirectory(dir);
        Files.setPosixFilePermissions(dir, permissions(0755));
        if (o.chown() != null) {
            Files.setAttribute(dir, "unix:uid", (int) o.chown().uid(), NOFOLLOW);
            Files.setAttribute(dir, "unix:gid", (int) o.chown().gid(), NOFOLLOW);
        }
        return tree.resolve(path, true);
    }

    private void refuseUnlessOverwrite(String path, String existing, String incoming) {
        if (!o.overwrite()) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "refusing to replace " + existing + " \"" + path + "\" with "
                    + incoming + " (--overwrite allows it)");
        }
    }

    private static List<String> childOf(String dir, String name) {
        List<String> l = ContainerTree.split(dir);
        l.add(name);
        return l;
    }

    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> s = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] all = PosixFilePermission.values(); // OWNER_READ .. OTHERS_EXECUTE, high bit first
        for (int i = 0; i < 9; i++) {
            if ((mode & (1 << (8 - i))) != 0) {
                s.add(all[i]);
            }
        }
        return s;
    }
}
