package berth.network.slirp4netns;

import berth.support.ProcStat;
import berth.support.ProcessTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Reading /proc: which process serves which socket, whether it still runs. */
final class SlirpProcesses {
    private SlirpProcesses() {
    }

    static List<String> cmdline(long pid) {
        return ProcessTable.cmdline(pid);
    }


    /**
     * True when the process runs slirp4netns with this API socket, or is the setsid about to exec it
     * (a setup just begun; its command line holds slirp4netns's); false for zombies and the departed.
     */
    /**
     * How a slirp4netns is started: {@code sh -c SCRIPT LOG setsid slirp4netns ARGS...}, which prints the
     * PID of its background child (setsid, then slirp4netns in its place) and exits.
     */
    static final String SPAWN_SCRIPT = "\"$@\" </dev/null >>\"$0\" 2>&1 & echo $!";

    static boolean isSlirpFor(long pid, Path sock) {
        List<String> args = cmdline(pid);
        if (args.isEmpty() || !args.contains(sock.toString())) {
            return false;
        }
        boolean slirp = args.get(0).endsWith("slirp4netns")
                || args.size() > 1 && args.get(0).endsWith("setsid") && args.get(1).endsWith("slirp4netns")
                // the spawning shell's child before it execs setsid
                || args.size() > 5 && args.get(0).equals("/bin/sh") && args.get(2).equals(SPAWN_SCRIPT)
                        && args.get(4).endsWith("setsid") && args.get(5).endsWith("slirp4netns");
        return slirp && running(pid);
    }

    static List<Long> findSlirpFor(Path sock) {
        return ProcessTable.pids(pid -> isSlirpFor(pid, sock));
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

    /** Waits for the process to go; slirp4netns exits within a few ms of SIGTERM. */
    static boolean awaitExit(long pid, long millis) {
        return ProcessTable.awaitGone(pid, millis, 10);
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
