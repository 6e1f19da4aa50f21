package berth.oci.conmon;

import berth.kernel.spi.runtime.ExecReport;
import berth.kernel.spi.runtime.RuntimeContainer;
import berth.oci.natives.Posix;
import berth.support.FileTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An exec session's files in RUNDIR/exec/SESSION, read by any berth process: conmon's exit file (named
 * after the container), its own PID file (against a starter that died before the process ran) and the
 * runtime's exec_pid.
 */
final class ExecFiles {
    private ExecFiles() {
    }

    static Path dir(RuntimeContainer c, String sessionId) {
        return c.runDir().resolve("exec").resolve(sessionId);
    }

    static Path conmonPidFile(Path execDir) {
        return execDir.resolve("conmon.pid");
    }

    static ExecReport report(RuntimeContainer c, String sessionId) {
        Path dir = dir(c, sessionId);
        Integer code = readInt(dir.resolve("exit").resolve(c.id()));
        if (code != null) {
            return new ExecReport.Exited(code);
        }
        // conmon writes the exit file before it exits: a live conmon still owns the session
        Integer conmon = readInt(conmonPidFile(dir));
        if (conmon != null && Posix.running(conmon) && cmdlineNames(conmon, sessionId)) {
            Integer pid = readInt(dir.resolve("exec_pid"));
            return new ExecReport.Running(pid == null ? 0 : pid);
        }
        code = readInt(dir.resolve("exit").resolve(c.id())); // it may have written it and gone meanwhile
        return code != null ? new ExecReport.Exited(code) : new ExecReport.Gone();
    }

    static void release(RuntimeContainer c, String sessionId) {
        Path dir = dir(c, sessionId);
        if (Files.exists(dir)) {
            FileTrees.delete(dir);
        }
    }

    private static boolean cmdlineNames(int pid, String sessionId) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline"))).contains(sessionId);
        } catch (IOException e) {
            return false;
        }
    }

    /** The file's integer, or null when it is missing, empty or torn. */
    private static Integer readInt(Path f) {
        try {
            String s = Files.readString(f).strip();
            return s.isEmpty() ? null : Integer.parseInt(s);
        } catch (IOException | NumberFormatException e) {
            return null;
        }
    }
}
