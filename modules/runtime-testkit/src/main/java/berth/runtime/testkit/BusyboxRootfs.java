package berth.runtime.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A root filesystem made from a static busybox: the binary in /bin and one symbolic link per applet
 * (as {@code busybox --list} names them), plus the directories the bundle mounts over. Small,
 * made in well under a second, and the same on every host that has busybox-static.
 */
public final class BusyboxRootfs {
    private BusyboxRootfs() {
    }

    /** Makes the rootfs in {@code dir} (created) from {@code busybox}, which must be statically linked. */
    public static Path create(Path busybox, Path dir) throws IOException, InterruptedException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Files.copy(busybox, bin.resolve("busybox"), StandardCopyOption.COPY_ATTRIBUTES);
        for (String applet : applets(busybox)) {
            if (applet.equals("busybox") || applet.contains("/")) {
                continue;
            }
            Path link = bin.resolve(applet);
            if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                Files.createSymbolicLink(link, Path.of("busybox"));
            }
        }
        for (String d : List.of("proc", "dev", "sys", "tmp", "root", "etc", OciConfig.SHARED.substring(1))) {
            Files.createDirectories(dir.resolve(d));
        }
        Files.writeString(dir.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n");
        Files.writeString(dir.resolve("etc/group"), "root:x:0:\ntty:x:5:\n");
        return dir;
    }

    private static List<String> applets(Path busybox) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(busybox.toString(), "--list").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(busybox + " --list failed: " + out.strip());
        }
        return out.lines().map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
}
