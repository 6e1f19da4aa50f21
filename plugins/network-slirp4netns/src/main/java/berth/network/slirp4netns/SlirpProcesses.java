package berth.network.slirp4netns;

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

    /** The process state letter from /proc/PID/stat, or 0 when there is no such process. */
    static char state(long pid) {
        String stat = stat(pid);
        int close = stat.lastIndexOf(')');
        return close < 0 || close + 2 >= stat.length() ? 0 : stat.charAt(close + 2);
    }

    static boolean running(long pid) {
        char s = state(pid);
        return s != 0 && s != 'Z' && s != 'X';
    }

    static long startTime(long pid) {
        String stat = stat(pid);
        int close = stat.lastIndexOf(')');
        if (close < 0) {
            return -1;
        }
        String[] f = stat.substring(close + 2).split(" ");
        // after the command: state(3) ppid(4) ... starttime is field 22, index 19 here
        return f.length > 19 ? Long.parseLong(f[19]) : -1;
    }

    /** The session id (field 6) of a process, or -1. */
    static long sessionId(long pid) {
        String stat = stat(pid);
        int close = stat.lastIndexOf(')');
        if (close < 0) {
            return -1;
        }
        String[] f = stat.substring(close + 2).split(" ");
        return f.length > 3 ? Long.parseLong(f[3]) : -1;
    }

    private static String stat(long pid) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        } catch (IOException e) {
            return "";
        }
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
