package berth.engine.internal;

import berth.engine.EngineConfig;
import berth.engine.events.Event;
import berth.engine.events.EventStatus;
import berth.engine.events.EventType;
import berth.engine.events.EventsError;
import berth.engine.events.GoTime;
import berth.kernel.error.ErrorCode;
import berth.kernel.model.Container;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The events log (podman's eventer): every service writes what it finished here with one call.
 * {@code [engine] events_logger} chooses the backend, "file" (berth's default) or "none";
 * {@code events_logfile_path} the file (default TMPDIR/events/events.log, podman's place);
 * {@code events_logfile_max_size} when it is cut (podman's default, 1 MB; 0 never). A failed write
 * is a warning, as in podman: the step it records has happened.
 */
public final class EventLog {
    /** podman's {@code DefaultEventsLogSizeMax}. */
    static final long DEFAULT_MAX_SIZE = 1_000_000L;

    private final String backend;
    private final Path path;
    private final EventSink sink;
    private final Consumer<String> warnings;

    private EventLog(String backend, Path path, EventSink sink, Consumer<String> warnings) {
        this.backend = backend;
        this.path = path;
        this.sink = sink;
        this.warnings = warnings;
    }

    /** The log containers.conf asks for; podman's errors for a backend berth does not have. */
    public static EventLog open(EngineConfig config, Consumer<String> warnings) {
        Map<String, List<String>> engine = config.engineOptions();
        String backend = first(engine.get("events_logger"), "file");
        String configured = first(engine.get("events_logfile_path"), "");
        Path path = configured.isEmpty() ? config.tmpDir().resolve("events").resolve("events.log") : Path.of(configured);
        switch (backend.toLowerCase(Locale.ROOT)) {
            case "file":
                return new EventLog("file", path, new EventSink.File(path, maxSize(first(engine.get("events_logfile_max_size"), ""))), warnings);
            case "none":
                return new EventLog("none", path, new EventSink.None(), warnings);
            case "journald":
                // podman built without systemd says this; berth has no journald writer
                throw new EventsError(ErrorCode.CONFIG_INVALID, "eventer creation: no support for journald logging");
            default:
                throw new EventsError(ErrorCode.CONFIG_INVALID, "unknown event logger type: " + backend.toUpperCase(Locale.ROOT));
        }
    }

    private static String first(List<String> values, String dflt) {
        return values == null || values.isEmpty() ? dflt : values.get(0);
    }

    /** containers.conf's size ("1m", "4750", "" for the default), as docker's units.FromHumanSize reads it (powers of 1000). */
    static long maxSize(String text) {
        if (text.isEmpty()) {
            return DEFAULT_MAX_SIZE;
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)\\s*(\\d+(?:\\.\\d+)?)\\s*([kmgtp]?)(?:i?b)?\\s*").matcher(text);
        if (!m.matches()) {
            throw new EventsError(ErrorCode.CONFIG_INVALID, "invalid size: '" + text + "'");
        }
        double v = Double.parseDouble(m.group(1));
        String unit = m.group(2).toLowerCase(Locale.ROOT);
        int power = unit.isEmpty() ? 0 : "kmgtp".indexOf(unit) + 1;
        return (long) (v * Math.pow(1000, power));
    }

    /** "file" or "none". */
    public String backend() {
        return backend;
    }

    /** The log file (also for "none": where it would be). */
    public Path path() {
        return path;
    }

    /** A container's step (create, init, start, stop, kill, pause, remove, ...): podman's newContainerEvent. */
    public void container(Container c, EventStatus status) {
        write(containerEvent(c, status, 0, c.config().labels()));
    }

    /** The container's process exited (written by whichever process records the exit first). */
    public void died(Container c, int exitCode) {
        write(containerEvent(c, EventStatus.DIED, exitCode, c.config().labels()));
    }

    /** An exec session ended; podman's attributes are the container's labels. */
    public void execDied(Container c, int exitCode) {
        write(containerEvent(c, EventStatus.EXEC_DIED, exitCode, c.config().labels()));
    }

    /** A container joined or left a network (connect/disconnect): ID and name are the container's. */
    public void networkConnection(Container c, String network, EventStatus status) {
        write(new Event(GoTime.now(), EventType.NETWORK, status.text(), c.id(), c.name(), "", network, 0, "", "", null));
    }

    /** A network was created or removed (later podman's network events). */
    public void network(String id, String name, EventStatus status) {
        write(new Event(GoTime.now(), EventType.NETWORK, status.text(), id, name, "", name, 0, "", "", null));
    }

    /** An image step: pull, push, tag, untag, remove, save, loadfromarchive, import; {@code name} is what the step named. */
    public void image(String id, String name, EventStatus status) {
        write(new Event(GoTime.now(), EventType.IMAGE, status.text(), id, name, "", "", 0, "", "", null));
    }

    /** A volume step: create, remove, prune, mount, unmount (podman's newVolumeEvent: the name only). */
    public void volume(String name, EventStatus status) {
        write(new Event(GoTime.now(), EventType.VOLUME, status.text(), "", name, "", "", 0, "", "", null));
    }

    /** A system step (refresh, renumber, ...). */
    public void system(EventStatus status, String name) {
        write(new Event(GoTime.now(), EventType.SYSTEM, status.text(), "", name, "", "", 0, "", "", null));
    }

    private static Event containerEvent(Container c, EventStatus status, int exitCode, Map<String, String> labels) {
        String image = c.config().fromImage() && c.config().image() != null ? c.config().image() : "";
        return new Event(GoTime.now(), EventType.CONTAINER, status.text(), c.id(), c.name(), image, "", exitCode, "", "", labels);
    }

    /** Writes an event; a failure is a warning (podman: "Unable to write ... event"). */
    public void write(Event e) {
        try {
            sink.write(e);
        } catch (IOException | RuntimeException ex) {
            warnings.accept("unable to write " + e.type().text() + " event: " + ex.getMessage());
        }
    }
}
