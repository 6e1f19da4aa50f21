package berth.engine.internal;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.trace.Trace;
import com.sun.jna.LastErrorException;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Network namespaces owned by berth, bind-mounted on a file under the run root
 * (RUNROOT/netns/berth-ID) with their loopback up, made and removed in-process (no unshare, ip or
 * umount process: each cost a fork and an exec on the path of every networked run). Network
 * backends may rely on the loopback being up, as podman's libnetwork brings it up itself rather
 * than through the CNI loopback plugin. Removal tolerates a half-made namespace (no file, file
 * without mount).
 */
public final class NetNs {
    private NetNs() {
    }

    public static Path pathFor(Path runRoot, String id) {
        return runRoot.resolve("netns").resolve("berth-" + id.substring(0, Math.min(12, id.length())));
    }

    public static Path create(Path runRoot, String id) {
        Path p = pathFor(runRoot, id);
        boolean fresh;
        try {
            Files.createDirectories(p.getParent());
            Files.createFile(p);
            fresh = true;
        } catch (FileAlreadyExistsException e) {
            fresh = false; // left by a crashed init: reused, and mounted already unless the crash came first
        } catch (IOException e) {
            throw new BerthException(ErrorCode.NETWORK_ERROR, "cannot create the network namespace file " + p
                    + " of container " + id + ": " + e.getMessage(), e);
        }
        if (fresh || !isMounted(p)) {
            makeOn(p, id);
        }
        Trace.mark("netns: made");
        return p;
    }

    /**
     * A thread of its own unshares its network namespace, pins it on the file and brings lo up from a
     * socket it opens there; then it ends, so no thread of this JVM stays in the container's namespace.
     */
    private static void makeOn(Path file, String id) {
        LastErrorException[] failure = new LastErrorException[1];
        String[] step = {"unshare(CLONE_NEWNET)"};
        Thread t = new Thread(() -> {
            try {
                NetNsCalls.unshare(NetNsCalls.CLONE_NEWNET);
                step[0] = "bind-mounting it on " + file;
                NetNsCalls.bindMount("/proc/thread-self/ns/net", file.toString());
                step[0] = "bringing its loopback up";
                NetNsCalls.linkUp("lo");
            } catch (LastErrorException e) {
                failure[0] = e;
            }
        }, "berth-netns");
        t.start();
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true; // the thread is short; leaving it midway would leave a half-made namespace
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure[0] != null) {
            remove(file);
            throw new BerthException(ErrorCode.NETWORK_ERROR, "cannot create the network namespace of container " + id
                    + ": " + step[0] + " failed: " + NetNsCalls.strerror(failure[0]), failure[0]);
        }
    }

    public static void remove(Path p) {
        if (p == null) {
            return;
        }
        try {
            NetNsCalls.detach(p.toString());
        } catch (LastErrorException e) {
            throw new BerthException(ErrorCode.NETWORK_ERROR, "cannot remove network namespace " + p + ": unmounting it failed: "
                    + NetNsCalls.strerror(e), e);
        }
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // an empty file left behind is harmless and reused
        }
    }

    static boolean isMounted(Path p) {
        try {
            String target = " " + p.toAbsolutePath() + " ";
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                if (line.contains(target)) {
                    return true;
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }
}
