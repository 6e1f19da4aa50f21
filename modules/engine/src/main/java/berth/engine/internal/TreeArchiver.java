package berth.engine.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Writes a path of a {@link ContainerTree} as a tar stream (the "get" half of podman's copy):
 * directories, regular files, symbolic links (stored as links, never followed), hard links between
 * files already written, and fifos. The walk maps each container path through the tree's mounts, so
 * a volume under a copied directory is copied from the volume. Sockets and devices are left out.
 */
final class TreeArchiver {
    private static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};
    /** Left out when the whole root is copied: the kernel's views, not files (podman's excludes). */
    private static final Set<String> ROOT_EXCLUDES = Set.of("dev", "proc", "sys");

    private final ContainerTree tree;
    private final Owner owner;
    private final TarArchiveOutputStream tar;
    private final Map<String, String> written = new HashMap<>(); // "dev:ino" → the name of the first entry

    /** Who owns each entry in the archive: {@code null} keeps the files' own owners. */
    record Owner(long uid, long gid) {
    }

    private TreeArchiver(ContainerTree tree, Owner owner, OutputStream out) {
        this.tree = tree;
        this.owner = owner;
        this.tar = new TarArchiveOutputStream(out);
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    }

    /**
     * Archives {@code containerPath} (resolved and clean) under the name {@code topName}, or, when
     * {@code topName} is null, only a directory's content (podman's {@code DIR/.}).
     */
    static void write(ContainerTree tree, String containerPath, String topName, Owner owner, OutputStream out) throws IOException {
        TreeArchiver a = new TreeArchiver(tree, owner, out);
        List<String> components = ContainerTree.split(containerPath);
        if (topName == null) {
            a.children(components, "");
        } else {
            a.entry(components, topName);
        }
        a.tar.finish();
        a.tar.flush();
    }

    private void entry(List<String> components, String name) throws IOException {
        Path host = tree.hostPath(components);
        Map<String, Object> at = Files.readAttributes(host, "unix:mode,uid,gid,lastModifiedTime,size,ino,dev,nlink", NOFOLLOW);
        int mode = (Integer) at.get("mode");
        int type = mode & 0170000;
        TarArchiveEntry e;
        boolean content = false;
        if (type == 0040000) {
            e = new TarArchiveEntry(name + "/", TarArchiveEntry.LF_DIR);
        } else if (type == 0120000) {
            e = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
            e.setLinkName(Files.readSymbolicLink(host).toString());
        } else if (type == 0100000) {
            String key = at.get("dev") + ":" + at.get("ino");
            String first = (Integer) at.get("nlink") > 1 ? written.putIfAbsent(key, name) : null;
            if (first != null) {
                e = new TarArchiveEntry(name, TarArchiveEntry.LF_LINK);
                e.setLinkName(first);
            } else {
                e = new TarArchiveEntry(name);
                e.setSize((Long) at.get("size"));
                content = true;
            }
        } else if (type == 0010000) {
            e = new TarArchiveEntry(name, TarArchiveEntry.LF_FIFO);
        } else {
            return; // sockets and devices: not files a copy carries
        }
        e.setMode(mode & 07777);
        e.setUserId(owner == null ? ((Integer) at.get("uid")).longValue() : owner.uid());
        e.setGroupId(owner == null ? ((Integer) at.get("gid")).longValue() : owner.gid());
        e.setModTime(((FileTime) at.get("lastModifiedTime")).toMillis());
        tar.putArchiveEntry(e);
        if (content) {
            Files.copy(host, tar);
        }
        tar.closeArchiveEntry();
        if (type == 0040000) {
            children(components, name + "/");
        }
    }

    private void children(List<String> components, String prefix) throws IOException {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(tree.hostPath(components))) {
            for (Path p : ds) {
                names.add(p.getFileName().toString());
            }
        }
        Collections.sort(names);
        for (String n : names) {
            if (components.isEmpty() && ROOT_EXCLUDES.contains(n)) {
                continue;
            }
            List<String> child = new ArrayList<>(components);
            child.add(n);
            entry(child, prefix + n);
        }
    }
}
