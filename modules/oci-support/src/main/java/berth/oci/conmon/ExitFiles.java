package berth.oci.conmon;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.spi.runtime.ExitReport;
import berth.kernel.spi.runtime.ExitStatus;
import berth.kernel.spi.runtime.RuntimeContainer;
import berth.oci.natives.Posix;
import berth.support.ProcStat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The exit and OOM files conmon writes when a container exits, and the exit-dir file: reading them
 * into an {@link ExitReport}, forgetting them before the container is created again, and removing
 * them when it is removed.
 */
final class ExitFiles {
    private final ConmonPaths paths;
    private final Consumer<String> warnings;

    ExitFiles(ConmonPaths paths, Consumer<String> warnings) {
        this.paths = paths;
        this.warnings = warnings;
    }

    /** Makes the directories conmon writes into, and forgets a previous run's exit. */
    void prepare(RuntimeContainer c) throws IOException {
        Files.createDirectories(paths.persistDir(c));
        Files.createDirectories(paths.exitsDir());
        clear(c);
    }

    /**
     * conmon writes the exit file (and the OOM file) when the container exits, then runs the cleanup
     * command and exits itself; a conmon gone without the file (killed, or the host rebooted) has lost
     * the exit. The file is read again after conmon is found gone: conmon writes it just before exiting.
     */
    ExitReport report(RuntimeContainer c) {
        Optional<ExitStatus> e = status(c);
        if (e.isPresent() && !olderThanMonitor(e.get(), c)) {
            return new ExitReport.Exited(e.get());
        }
        if (c.monitorPid() > 0 && !Posix.running(c.monitorPid())) {
            e = status(c);
            return e.isPresent() ? new ExitReport.Exited(e.get()) : ExitReport.LOST;
        }
        return ExitReport.RUNNING;
    }

    /**
     * An exit file written before the running conmon started is an earlier run's: podman 4.3 starts
     * a container without clearing the persist dir berth's conmon wrote. The start must be known to
     * the tick: podman's stop and start can follow each other within the second that
     * ProcessHandle's start instant may be early by.
     */
    static boolean olderThanMonitor(ExitStatus e, RuntimeContainer c) {
        if (c.monitorPid() <= 0 || e.finishedAt() == null) {
            return false;
        }
        return ProcStat.startOfRunning(c.monitorPid()).map(started -> e.finishedAt().isBefore(started)).orElse(false);
    }

    private Optional<ExitStatus> status(RuntimeContainer c) {
        Path exit = paths.persistDir(c).resolve("exit");
        if (!Files.exists(exit) && Files.exists(paths.exitsDir().resolve(c.id()))) {
            exit = paths.exitsDir().resolve(c.id()); // podman 4.3's conmon has no persist dir: only the exit dir's file
        }
        try {
            String s = Files.readString(exit).strip();
            Instant finished = Files.getLastModifiedTime(exit).toInstant();
            boolean oom = Files.exists(paths.persistDir(c).resolve("oom")) || Files.exists(c.bundleDir().resolve("oom"));
            return Optional.of(new ExitStatus(Integer.parseInt(s), oom, finished));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | NumberFormatException e) {
            // a half-written file: conmon writes it with g_file_set_contents (atomic), so this is corruption
            throw new BerthException(ErrorCode.RUNTIME_ERROR, "unreadable exit file " + exit + " of container " + c.id() + ": " + e.getMessage(), e);
        }
    }

    void clear(RuntimeContainer c) {
        try {
            Files.deleteIfExists(paths.persistDir(c).resolve("exit"));
            Files.deleteIfExists(paths.persistDir(c).resolve("oom"));
            Files.deleteIfExists(c.bundleDir().resolve("oom"));
            Files.deleteIfExists(paths.exitsDir().resolve(c.id()));
        } catch (IOException e) {
            throw new BerthException(ErrorCode.INTERNAL, "cannot remove exit files of container " + c.id() + ": " + e.getMessage(), e);
        }
    }

    /** conmon's files outside the run directory: the persist directory and the exit-dir file. */
    void release(RuntimeContainer c) {
        try {
            Path persist = paths.persistDir(c);
            if (Files.isDirectory(persist)) {
                try (var entries = Files.newDirectoryStream(persist)) {
                    for (Path p : entries) {
                        Files.deleteIfExists(p);
                    }
                }
            }
            Files.deleteIfExists(persist);
            Files.deleteIfExists(paths.exitsDir().resolve(c.id()));
        } catch (IOException e) {
            warnings.accept("cannot remove conmon's files of container " + c.id() + ": " + e.getMessage());
        }
    }
}
