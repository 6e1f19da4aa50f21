package berth.api.docker;

import berth.engine.Engine;
import berth.kernel.error.BerthException;
import berth.kernel.model.AttachStreams;
import berth.kernel.model.Container;
import berth.kernel.model.ContainerStatus;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.Objects;

/**
 * {@code POST /containers/{id}/attach}, hijacked. The docker CLI attaches before it starts: then this
 * session waits for the start request and starts the container itself, attached, so no output is lost
 * and {@code run --rm} removes it in the engine's one pass; the start request returns once it runs.
 */
final class Attach {
    private final Engine engine;
    private final Sessions sessions;
    private final Activity activity;

    Attach(Engine engine, Sessions sessions, Activity activity) {
        this.engine = engine;
        this.sessions = sessions;
        this.activity = activity;
    }

    void attach(Exchange x, String id) throws Exception {
        Container c = engine.container(id);
        boolean stdin = x.flag("stdin", false) && c.config().stdin();
        boolean stdout = x.flag("stdout", false);
        boolean stderr = x.flag("stderr", false);
        boolean tty = c.config().terminal();
        Sessions.PendingAttach pending = null;
        if (c.status().canStart()) {
            pending = new Sessions.PendingAttach();
            sessions.pendingAttaches.put(c.id(), pending);
        } else if (!c.status().isRunningOrPaused()) {
            throw new ApiError(409, "You cannot attach to a container that is " + ContainerJson.state(c.status()));
        }
        Sessions.PendingAttach waiting = pending;
        Instant startedBefore = c.state().startedAt();
        sessions.attaching.add(c.id());
        Hijack.begin(x, activity, (in, out) -> {
            try {
                AttachStreams streams = streams(stdin ? in : null, out, stdout, stderr, tty);
                if (waiting == null) {
                    engine.attach(c.id(), streams);
                } else {
                    waiting.startRequested.get();
                    runStarted(c.id(), waiting, startedBefore, streams);
                }
            } finally {
                sessions.attaching.remove(c.id());
                sessions.pendingAttaches.remove(c.id(), waiting);
            }
        });
    }

    private void runStarted(String id, Sessions.PendingAttach pending, Instant startedBefore, AttachStreams streams) {
        Thread watch = new Thread(() -> {
            while (!pending.started.isDone()) {
                try {
                    Container k = engine.container(id);
                    if (k.status().isActive() || !Objects.equals(k.state().startedAt(), startedBefore)
                            && k.status() != ContainerStatus.CREATED && k.status() != ContainerStatus.CONFIGURED) {
                        pending.started.complete(null);
                    }
                    Thread.sleep(10);
                } catch (BerthException e) {
                    pending.started.complete(null); // already gone: it ran and was removed
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "berth-api-start-watch");
        watch.setDaemon(true);
        watch.start();
        try {
            int code = engine.startAttached(id, streams);
            if (code != berth.engine.Engine.DETACHED) {
                sessions.exitCodes.put(id, code);
            }
            pending.started.complete(null);
        } catch (RuntimeException e) {
            pending.started.completeExceptionally(e);
            throw e;
        }
    }

    /** The client's side of the streams: raw with a terminal, else Docker's frames. */
    static AttachStreams streams(InputStream in, OutputStream out, boolean stdout, boolean stderr, boolean tty) {
        OutputStream o;
        OutputStream e;
        if (tty) {
            o = out;
            e = out;
        } else {
            Framing f = new Framing(out);
            o = f.stream(1);
            e = f.stream(2);
        }
        return new AttachStreams(in, stdout ? o : null, stderr ? e : null,
                tty && in != null ? AttachStreams.DEFAULT_DETACH_KEYS : new byte[0]);
    }
}
