package berth.engine;

import berth.engine.events.Event;
import berth.engine.events.EventFile;
import berth.engine.events.EventFilter;
import berth.engine.events.EventsError;
import berth.engine.internal.EventLog;
import berth.kernel.error.ErrorCode;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * The engine's events API ({@code berth events}): reads the events log that the engine's services
 * write. Obtained from {@link Engine#events()}.
 */
public final class Events {
    private final EventLog log;

    Events(EventLog log) {
        this.log = log;
    }

    /** The backend, "file" or "none". */
    public String backend() {
        return log.backend();
    }

    public Path logFile() {
        return log.path();
    }

    /**
     * The events that pass {@code filter}: those in the log and, with {@code stream}, each new one
     * until the thread is interrupted or the filter's until time passes. A stream without since/until
     * ({@code fromStart} false) shows only new events, as podman's does.
     */
    /**
     * The logged events that pass {@code filter}, rendered ({@code --stream=false}); a large log is
     * decoded and rendered on {@code threads} threads, so {@code render} must be safe for that (1 for
     * one thread). The output is in the log's order, in UTF-8, written a part of the log at a time
     * (an {@link java.io.UncheckedIOException} when {@code out} fails).
     */
    public void renderLogged(EventFilter filter, berth.engine.events.EventRenderer render, int threads,
            java.io.OutputStream out) {
        if (!log.backend().equals("file")) {
            throw new EventsError(ErrorCode.INVALID_ARGUMENT, "cannot read events with the \"" + log.backend() + "\" backend");
        }
        new EventFile(log.path()).renderAll(filter, render, threads, out);
    }

    public void read(EventFilter filter, boolean stream, boolean fromStart, Consumer<Event> out, Runnable batchDone) {
        if (!log.backend().equals("file")) {
            throw new EventsError(ErrorCode.INVALID_ARGUMENT, "cannot read events with the \"" + log.backend() + "\" backend");
        }
        EventFile file = new EventFile(log.path());
        if (stream) {
            file.follow(filter, fromStart, out, batchDone);
        } else {
            file.readAll(filter, out);
            batchDone.run();
        }
    }
}
