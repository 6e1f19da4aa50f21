package berth.network.slirp4netns;

import berth.support.ProcStat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reading /proc: which process serves which socket, whether it still runs. */
final class SlirpProcesses {
    private SlirpProcesses() {
    }

    static List<String> cmdline(long pid) {
        try {
            byte[] b = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            List<String> out = new ArrayList<>();
            int start = 0;
            for (int i = 0; i < b.length; i++) {
                if (b[i] == 0) {
                    out.add(new String(b, start, i - start, StandardCharsets.UTF_8));
                    start = i + 1;
                }
            }
            if (start < b.length) {
                out.add(new String(b, start, b.length - start, StandardCharsets.UTF_8));
            }
            return out;
        } catch (IOException e) {
            return List.of();
        }
    }

    /**
     * True when the process runs slirp4netns with this API socket, or is the setsid about to exec it
     * (a setup just begun; its command line holds slirp4netns's); false for zombies and the departed.
     */
    static boolean isSlirpFor(long pid, Path sock) {
        List<String> args = cmdline(pid);
        if (args.isEmpty() || !args.contains(sock.toString())) {
            return false;
        }
        boolean slirp = args.get(0).endsWith("slirp4netns")
                || args.size() > 1 && args.get(0).endsWith("setsid") && args.get(1).endsWith("slirp4netns");
        return slirp && running(pid);
    }

    static List<Long> findSlirpFor(Path sock) {
        List<Long> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path p : ds) {
                long pid;
                try {
                    pid = Long.parseLong(p.getFileName().toString());
                } catch (NumberFormatException e) {
                    continue;
                }
                if (isSlirpFor(pid, sock)) {
                    out.add(pid);
                }
            }
        } catch (IOException e) {
            // no /proc: nothing to find
        }
        return out;
    }

    static boolean running(long pid) {
        return ProcStat.running(pid);
    }

    static long startTime(long pid) {
        return ProcStat.read(pid).map(ProcStat::startTicks).orElse(-1L);
    }

    /** The session id (field 6) of a process, or -1. */
    static long sessionId(long pid) {
        return ProcStat.read(pid).map(ProcStat::sessionId).orElse(-1L);
    }

    static boolean awaitExit(long pid, long millis) {
        long deadline = System.currentTimeMillis() + millis;
        long sleep = 1; // slirp4netns exits within a few ms of SIGTERM
        while (running(pid)) {
            if (System.currentTimeMillis() > deadline) {
                return false;
            }
            try {
                Thread.sleep(sleep);
                sleep = Math.min(sleep * 2, 10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return !running(pid);
            }
        }
        return true;
    }

    static String tail(Path log, int max) {
        try {
            String s = Files.readString(log);
            return s.length() > max ? s.substring(s.length() - max) : s;
        } catch (IOException e) {
            return "";
        }
    }
}
