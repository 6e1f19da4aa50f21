package berth.image.overlay;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.support.FileTrees;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * containers/storage's overlay driver layout: {@code overlay/<id>/{diff,link,lower,work,merged}},
 * {@code overlay/l/<LINK> -> ../<id>/diff}, and the mount options podman's overlay driver passes.
 */
final class OverlayDriver implements LayerDriver {
    private static final Set<PosixFilePermission> DIR_0700 = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> DIR_0755 = PosixFilePermissions.fromString("rwxr-xr-x");
    /** c/storage's defaultPerms for a base layer's diff: a layer's "." entry does not change it. */
    private static final Set<PosixFilePermission> DIR_0555 = PosixFilePermissions.fromString("r-xr-xr-x");

    private final Path home;

    OverlayDriver(Path home) {
        this.home = home;
    }

    @Override
    public Path home() {
        return home;
    }

    @Override
    public String name() {
        return "overlay";
    }

    private Path dir(String id) {
        return home.resolve(id);
    }

    @Override
    public Path diffDir(String id) {
        return dir(id).resolve("diff");
    }

    @Override
    public boolean appliesWhiteouts() {
        return false;
    }

    @Override
    public Path mountPoint(String id) {
        return dir(id).resolve("merged");
    }

    @Override
    public void create(String id, String parent) {
        Path dir = dir(id);
        try {
            mkdir(home.resolve("l"), DIR_0755);
            if (Files.exists(dir)) {
                remove(id); // a leftover of a killed create; its link must go too
            }
            mkdir(dir, DIR_0700);
            // diff takes the parent's diff mode, as c/storage does, so the container's / keeps the image's mode
            Set<PosixFilePermission> perms = parent.isEmpty() ? DIR_0555 : Files.getPosixFilePermissions(diffDir(parent));
            mkdir(dir.resolve("diff"), perms);
            String link = ShortLinks.generate();
            Files.createSymbolicLink(home.resolve("l").resolve(link), Path.of("..", id, "diff"));
            Files.writeString(dir.resolve("link"), link, StandardCharsets.UTF_8);
            mkdir(dir.resolve("work"), DIR_0700);
            mkdir(dir.resolve("merged"), DIR_0700);
            if (parent.isEmpty()) {
                mkdir(dir.resolve("empty"), DIR_0700);
            } else {
                String lower = "l/" + readLink(parent);
                Path parentLower = dir(parent).resolve("lower");
                if (Files.exists(parentLower)) {
                    lower += ":" + Files.readString(parentLower, StandardCharsets.UTF_8).trim();
                }
                Files.writeString(dir.resolve("lower"), lower, StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            FileTrees.delete(dir);
            throw new BerthException(ErrorCode.INTERNAL, "cannot create layer " + id + " in " + home + ": " + e.getMessage(), e);
        }
    }

    /** Beside the layers, under the driver home (its own bind mount once a layer is mounted: a rename must not cross it). */
    @Override
    public Path stagingRoot() {
        return home.resolve("berth-staging");
    }

    @Override
    public void adopt(String id, Path staged) {
        Path diff = diffDir(id);
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(diff);
            Files.delete(diff);
            Files.move(staged, diff, StandardCopyOption.ATOMIC_MOVE);
            Files.setPosixFilePermissions(diff, perms);
        } catch (IOException e) {
            throw new BerthException(ErrorCode.INTERNAL, "cannot move the extracted files of layer " + id + " into " + diff + ": "
                    + e.getMessage(), e);
        }
    }

    private String readLink(String id) throws IOException {
        return Files.readString(dir(id).resolve("link"), StandardCharsets.UTF_8).trim();
    }

    /** The absolute lower directories through their short links, top first; the {@code empty} dir for a base layer. */
    List<Path> lowers(String id) {
        List<Path> out = new ArrayList<>();
        try {
            String lower = Files.readString(dir(id).resolve("lower"), StandardCharsets.UTF_8).trim();
            for (String l : lower.split(":")) {
                if (!l.isEmpty()) {
                    out.add(home.resolve(l));
                }
            }
        } catch (NoSuchFileException e) {
            // a base layer: nothing below it
        } catch (IOException e) {
            throw new BerthException(ErrorCode.INTERNAL, "cannot read the lower file of layer " + id + ": " + e.getMessage(), e);
        }
        if (out.isEmpty()) {
            out.add(dir(id).resolve("empty"));
        }
        return out;
    }

    @Override
    public Path mount(String id) {
        return mount(id, false);
    }

    /**
     * As {@link #mount(String)}; {@code volatileUpper}: with overlayfs's {@code volatile} option, as
     * c/storage mounts a volatile container (no sync of the upper layer, not even at unmount: the
     * upper file system's whole dirty cache otherwise). A kernel without the option (before 5.10)
     * gets the plain mount.
     */
    Path mount(String id, boolean volatileUpper) {
        ensureHomePrivate();
        Path merged = mountPoint(id);
        Path upper = diffDir(id);
        Path work = dir(id).resolve("work");
        try {
            mkdir(merged, DIR_0700);
        } catch (IOException e) {
            throw new BerthException(ErrorCode.INTERNAL, "cannot create " + merged + ": " + e.getMessage(), e);
        }
        List<Path> lowers = lowers(id);
        StringBuilder data = new StringBuilder("lowerdir=");
        for (int i = 0; i < lowers.size(); i++) {
            data.append(i == 0 ? "" : ":").append(lowers.get(i));
        }
        data.append(",upperdir=").append(upper).append(",workdir=").append(work);
        if (volatileUpper) {
            // overlayfs refuses to mount a work dir an earlier volatile mount marked, as c/storage knows
            FileTrees.delete(work.resolve("work").resolve("incompat").resolve("volatile"));
            if (data.length() + ",volatile".length() < LinuxMounts.pageSize()) {
                try {
                    LinuxMounts.mount("overlay", merged, "overlay", 0, data + ",volatile");
                    return merged;
                } catch (BerthException e) {
                    // EINVAL from a kernel that predates the option: mounted as usual below
                }
            }
        }
        if (data.length() < LinuxMounts.pageSize()) {
            LinuxMounts.mount("overlay", merged, "overlay", 0, data.toString());
        } else {
            LinuxMounts.mountOverlayByParts(lowers, upper, work, merged);
        }
        return merged;
    }

    /**
     * c/storage bind-mounts the driver home onto itself, private, before its first mount, so that
     * layer mounts do not propagate to other namespaces. Doing the same here matters for podman too:
     * its bind mount, made after berth's layer mounts, would hide them.
     */
    private void ensureHomePrivate() {
        if (!LinuxMounts.isMountPoint(home)) {
            LinuxMounts.mount(home.toString(), home, "none", LinuxMounts.MS_BIND, null);
        }
        LinuxMounts.mount("none", home, null, LinuxMounts.MS_PRIVATE, null);
    }

    @Override
    public void unmount(String id) {
        LinuxMounts.unmount(mountPoint(id));
    }

    @Override
    public void shutdown() {
        if (LinuxMounts.isMountPoint(home)) {
            LinuxMounts.unmount(home);
        }
    }

    @Override
    public void remove(String id) {
        Path dir = dir(id);
        unmount(id);
        try {
            Path linkFile = dir.resolve("link");
            if (Files.exists(linkFile)) {
                String link = Files.readString(linkFile, StandardCharsets.UTF_8).trim();
                if (!link.isEmpty() && link.indexOf('/') < 0) {
                    Files.deleteIfExists(home.resolve("l").resolve(link));
                }
            }
        } catch (IOException e) {
            throw new BerthException(ErrorCode.INTERNAL, "cannot remove the link of layer " + id + ": " + e.getMessage(), e);
        }
        FileTrees.delete(dir);
    }

    private static void mkdir(Path dir, Set<PosixFilePermission> perms) throws IOException {
        try {
            Files.createDirectory(dir);
            Files.setPosixFilePermissions(dir, perms); // exact, not less the umask
        } catch (FileAlreadyExistsException e) {
            // kept as is
        }
    }
}
