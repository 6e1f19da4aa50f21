package berth.engine.internal;

import berth.support.ProcStat;
import berth.kernel.json.Json;
import berth.kernel.json.JsonObject;
import berth.kernel.model.Container;
import berth.support.AtomicFiles;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The journal of unfinished operations: before an operation makes something outside berth's state (a
 * network namespace, a network set-up, a runtime container and its monitor, a removal), it records
 * its intent in TMPDIR/intents/ID, with the process that owns it; once the record and the world agree
 * again, the intent goes. An intent whose owner is dead marks a container that a crashed berth left
 * half done: {@link Recovery} finishes or undoes it under the container's lock. The journal lives in
 * the run root (a tmpfs) because what it guards does not outlive a reboot either.
 */
public final class Intents {
    /** One unfinished operation: what, on which container, by which process (PID and its start time, against PID reuse). */
    public record Intent(String containerId, String operation, long ownerPid, long ownerStart, String runtime, String networkMode) {
    }

    private final Path dir;

    public Intents(Path tmpDir) {
        this.dir = tmpDir.resolve("intents");
    }

    /** Records that this process begins {@code operation} on {@code c}. Not synced: the run root is a tmpfs. */
    public void begin(Container c, String operation) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("operation", operation);
        m.put("ownerPid", Owner.PID);
        m.put("ownerStart", Owner.selfStart());
        m.put("runtime", c.config().runtime());
        m.put("networkMode", c.config().network().mode());
        AtomicFiles.write(dir.resolve(c.id()), Json.write(m), AtomicFiles.Durability.NONE);
    }

    /** The record and the world agree again. */
    public void end(String id) {
        try {
            Files.deleteIfExists(dir.resolve(id));
        } catch (IOException e) {
            // a stale intent of a live container is recovered (found consistent) by the next command
        }
    }

    /** Whether the container has an intent (one stat). */
    public boolean has(String id) {
        return Files.exists(dir.resolve(id));
    }

    /** The IDs with an intent, in one read of the directory. */
    public Set<String> pending() {
        Set<String> out = new HashSet<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                String n = p.getFileName().toString();
                if (!n.startsWith(".")) {
                    out.add(n);
                } else if (n.endsWith(".tmp")) {
                    removeIfAbandoned(p);
                }
            }
        } catch (NoSuchFileException e) {
            return out;
        } catch (IOException e) {
            return out; // unreadable journal: nothing to recover now, the next command tries again
        }
        return out;
    }

    /**
     * An intent's temporary file whose writer was killed between writing and renaming it. A live
     * write (a few hundred bytes, never synced) renames its file within microseconds, so one older
     * than a second is abandoned.
     */
    private static void removeIfAbandoned(Path tmp) {
        try {
            long age = System.currentTimeMillis() - Files.getLastModifiedTime(tmp).toMillis();
            if (age > 1000) {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            // gone meanwhile, or not ours to remove: the next look tries again
        }
    }

    /** The container's intent, when its owner is dead (a live owner is still at work). */
    public Optional<Intent> orphaned(String id) {
        Path f = dir.resolve(id);
        JsonObject o;
        try {
            o = Json.parseObject(Files.readAllBytes(f));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            // torn or unreadable: its writer died while writing it, which makes it orphaned
            return Optional.of(new Intent(id, "unknown", 0, 0, "", ""));
        }
        Intent i = new Intent(id, o.str("operation", "unknown"), o.lng("ownerPid", 0), o.lng("ownerStart", 0),
                o.str("runtime", ""), o.str("networkMode", ""));
        return Owner.alive(i.ownerPid(), i.ownerStart()) ? Optional.empty() : Optional.of(i);
    }

    /** This process and the liveness of others, from /proc. */
    static final class Owner {
        static final long PID = ProcessHandle.current().pid();
        private static long selfStart;

        private Owner() {
        }

        static long selfStart() {
            if (selfStart == 0) {
                selfStart = startTime(PID);
            }
            return selfStart;
        }

        /** Field 22 of /proc/PID/stat (clock ticks after boot); 0 when the process is gone or a zombie. */
        static long startTime(long pid) {
            return ProcStat.startTicksOfRunning(pid);
        }

        static boolean alive(long pid, long start) {
            if (pid <= 0) {
                return false;
            }
            long now = startTime(pid);
            return now != 0 && (start == 0 || now == start);
        }
    }
}
