package berth.engine.internal;

import berth.kernel.json.Json;
import berth.kernel.json.JsonObject;
import berth.support.AtomicFiles;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The journal of exec sessions under way: TMPDIR/exec-intents/CONTAINER/SESSION, written before the
 * session's monitor is started and removed once the session is recorded or its files are gone. Many
 * execs run in one container at once (and beside its other operations), so they have a journal of
 * their own, one directory per container: one stat tells a lookup whether the container has any.
 * An intent whose owner died is finished by {@link Recovery} under the container's lock.
 */
public final class ExecIntents {
    /** One exec session under way, and the process that started it. */
    public record ExecIntent(String containerId, String sessionId, boolean detached, List<String> command, long ownerPid, long ownerStart) {
    }

    private final Path dir;

    public ExecIntents(Path tmpDir) {
        this.dir = tmpDir.resolve("exec-intents");
    }

    /** Records that this process starts an exec session. Not synced: the run root is a tmpfs. */
    public void begin(String containerId, String sessionId, boolean detached, List<String> command) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("detached", detached);
        m.put("command", command);
        m.put("ownerPid", Intents.Owner.PID);
        m.put("ownerStart", Intents.Owner.selfStart());
        String json = Json.write(m);
        Path containerDir = dir.resolve(containerId);
        for (int attempt = 0; ; attempt++) {
            try {
                Files.createDirectories(containerDir);
                AtomicFiles.write(containerDir.resolve(sessionId), json, AtomicFiles.Durability.NONE);
                return;
            } catch (IOException | RuntimeException e) {
                // another process removed the container's directory as it emptied: make it again
                if (attempt == 3) {
                    throw new berth.kernel.error.BerthException(berth.kernel.error.ErrorCode.INTERNAL,
                            "cannot record exec session " + sessionId + " of container " + containerId + ": " + e.getMessage(), e);
                }
            }
        }
    }

    /** The session is recorded or gone; the container's directory goes with its last intent. */
    public void end(String containerId, String sessionId) {
        Path containerDir = dir.resolve(containerId);
        try {
            Files.deleteIfExists(containerDir.resolve(sessionId));
            Files.deleteIfExists(containerDir);
        } catch (DirectoryNotEmptyException e) {
            // other sessions are under way
        } catch (IOException e) {
            // a stale intent of a live owner is found and finished by the next command
        }
    }

    /** Whether the container has sessions under way (one stat). */
    public boolean any(String containerId) {
        return Files.isDirectory(dir.resolve(containerId));
    }

    /** The containers with sessions under way, in one read of the journal. */
    public List<String> containers() {
        return names(dir);
    }

    /**
     * The container's sessions whose starter is dead. A directory without a session (its starter was
     * killed between making it and writing the intent) is removed: nothing else would, and it would
     * count as a session under way. A starter making it at this moment finds it gone and makes it
     * again, as {@link #begin} does after an {@link #end} of another session.
     */
    public List<ExecIntent> orphaned(String containerId) {
        List<ExecIntent> out = new ArrayList<>();
        List<String> sessions = names(dir.resolve(containerId));
        if (sessions.isEmpty()) {
            removeEmpty(dir.resolve(containerId));
        }
        for (String session : sessions) {
            JsonObject o;
            try {
                o = Json.parseObject(Files.readAllBytes(dir.resolve(containerId).resolve(session)));
            } catch (IOException | RuntimeException e) {
                // torn or unreadable: its writer died while writing it, before any session was started
                out.add(new ExecIntent(containerId, session, false, List.of(), 0, 0));
                continue;
            }
            ExecIntent i = new ExecIntent(containerId, session, o.bool("detached", false), o.strings("command"),
                    o.lng("ownerPid", 0), o.lng("ownerStart", 0));
            if (!Intents.Owner.alive(i.ownerPid(), i.ownerStart())) {
                out.add(i);
            }
        }
        return out;
    }

    /**
     * The directory, and a temporary file a killed writer left in it (one older than a minute: a live
     * writer renames its own within milliseconds), unless a session is in it.
     */
    private static void removeEmpty(Path containerDir) {
        long stale = System.currentTimeMillis() - 60_000;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(containerDir, ".*")) {
            for (Path p : entries) {
                if (Files.getLastModifiedTime(p).toMillis() < stale) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(containerDir);
        } catch (IOException e) {
            // gone already, or a session was written meanwhile
        }
    }

    private static List<String> names(Path d) {
        List<String> out = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(d)) {
            for (Path p : entries) {
                String n = p.getFileName().toString();
                if (!n.startsWith(".")) {
                    out.add(n);
                }
            }
        } catch (NoSuchFileException e) {
            return out;
        } catch (IOException e) {
            return out; // unreadable: nothing to recover now, the next command tries again
        }
        return out;
    }
}
