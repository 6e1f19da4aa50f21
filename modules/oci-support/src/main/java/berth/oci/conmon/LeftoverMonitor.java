package berth.oci.conmon;

import berth.kernel.spi.runtime.RuntimeContainer;
import berth.oci.natives.Posix;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A conmon that outlives its container's deletion: a berth killed while conmon was still creating the
 * container left it to finish the create after the runtime's delete had found nothing to delete.
 * Such a conmon is given a moment to exit on its own (it does once its container is gone), then the
 * delete is tried again (the create has finished by then), and last it and its children are killed.
 */
final class LeftoverMonitor {
    private LeftoverMonitor() {
    }

    /** Ends the container's conmon, if one still runs, calling {@code deleteAgain} before resorting to SIGKILL. */
    static void end(RuntimeContainer c, Runnable deleteAgain) {
        int pid = conmonOf(c);
        if (pid <= 0) {
            return;
        }
        if (gone(pid, 2_000)) {
            return;
        }
        deleteAgain.run();
        if (gone(pid, 1_000)) {
            return;
        }
        for (int child : children(pid)) {
            Posix.kill(child, 9);
        }
        Posix.kill(pid, 9);
        gone(pid, 1_000);
        deleteAgain.run();
    }

    /** conmon's PID from its pid file, when that process is still this container's conmon (not a reused PID). */
    private static int conmonOf(RuntimeContainer c) {
        try {
            int pid = Integer.parseInt(Files.readString(ConmonPaths.conmonPidFile(c)).strip());
            String cmd = new String(Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline")));
            return cmd.contains(c.id()) && Posix.running(pid) ? pid : 0;
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    private static boolean gone(int pid, long millis) {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        while (Posix.running(pid)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return !Posix.running(pid);
            }
        }
        return true;
    }

    private static List<Integer> children(int parent) {
        List<Integer> out = new ArrayList<>();
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path p : procs) {
                try {
                    String stat = Files.readString(p.resolve("stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    if (Integer.parseInt(f[1]) == parent) {
                        out.add(Integer.parseInt(p.getFileName().toString()));
                    }
                } catch (IOException | RuntimeException e) {
                    // gone meanwhile
                }
            }
        } catch (IOException e) {
            return out;
        }
        return out;
    }
}
