package berth.engine.internal;

import berth.engine.LogOptions;
import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.model.Container;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Optional;

/** {@code logs}: a container's k8s-file log, followed while it runs. */
public final class ContainerLogs {
    private final EngineContext ctx;
    private final ExitTracker exits;

    public ContainerLogs(EngineContext ctx, ExitTracker exits) {
        this.ctx = ctx;
        this.exits = exits;
    }

    public void copy(Container c, LogOptions o, OutputStream out, OutputStream err) {
        copy(c, o, o.names() ? c.name() + " " : "", out, err);
    }

    /**
     * {@code logs C1 C2 ...}: each line behind its container's short ID (or name, with
     * {@code names}), as podman; followed containers are read at once, so lines come as written.
     */
    public void copyAll(java.util.List<Container> cs, LogOptions o, OutputStream out, OutputStream err) {
        if (cs.size() == 1) {
            copy(cs.get(0), o, out, err);
            return;
        }
        if (!o.follow()) {
            for (Container c : cs) {
                copy(c, o, prefix(c, o), out, err);
            }
            return;
        }
        // what is there already comes first, all containers' lines in the order written (k8s-file
        // timestamps are all of one zone and width, so they sort as text); then each is followed at once
        java.util.List<K8sLog.Backlog> backlogs = new java.util.ArrayList<>();
        java.util.List<Object[]> merged = new java.util.ArrayList<>();
        for (Container c : cs) {
            if ("none".equals(c.config().logDriver())) {
                throw new BerthException(ErrorCode.INVALID_ARGUMENT, "container " + c.name() + " uses the \"none\" log driver: no logs to show");
            }
            K8sLog.Selection sel = new K8sLog.Selection(o.tail(), o.since(), o.until(), prefix(c, o));
            try {
                K8sLog.Backlog b = K8sLog.backlog(Path.of(c.config().logPath()), sel);
                backlogs.add(b);
                for (K8sLog.Line l : b.lines()) {
                    merged.add(new Object[] {l, sel.prefix()});
                }
            } catch (IOException e) {
                throw new BerthException(ErrorCode.INTERNAL, "reading log of container " + c.name() + ": " + e.getMessage(), e);
            }
        }
        merged.sort((x, y) -> ((K8sLog.Line) x[0]).timestamp().compareTo(((K8sLog.Line) y[0]).timestamp()));
        try {
            for (Object[] m : merged) {
                K8sLog.emit((K8sLog.Line) m[0], o.timestamps(), (String) m[1], out, err);
            }
        } catch (IOException e) {
            throw new BerthException(ErrorCode.INTERNAL, "writing logs: " + e.getMessage(), e);
        }
        java.util.List<Thread> threads = new java.util.ArrayList<>();
        BerthException[] failed = {null};
        for (int i = 0; i < cs.size(); i++) {
            Container c = cs.get(i);
            K8sLog.Backlog from = backlogs.get(i);
            Thread t = new Thread(() -> {
                try {
                    K8sLog.follow(Path.of(c.config().logPath()), from, new K8sLog.Selection(-1, o.since(), o.until(), prefix(c, o)),
                            o.timestamps(), () -> running(c), out, err);
                } catch (IOException | BerthException e) {
                    failed[0] = e instanceof BerthException be ? be
                            : new BerthException(ErrorCode.INTERNAL, "reading log of container " + c.name() + ": " + e.getMessage(), e);
                }
            }, "berth-logs-" + c.config().shortId());
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        if (failed[0] != null) {
            throw failed[0];
        }
    }

    private boolean running(Container c) {
        Optional<Container> cur = ctx.state().findContainer(c.id());
        return cur.isPresent() && exits.sync(cur.get()).status().isRunningOrPaused();
    }

    private static String prefix(Container c, LogOptions o) {
        return (o.names() ? c.name() : c.config().shortId()) + " ";
    }

    private void copy(Container c, LogOptions o, String prefix, OutputStream out, OutputStream err) {
        if ("none".equals(c.config().logDriver())) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "container " + c.name() + " uses the \"none\" log driver: no logs to show");
        }
        try {
            K8sLog.Selection sel = new K8sLog.Selection(o.tail(), o.since(), o.until(), prefix);
            K8sLog.copy(Path.of(c.config().logPath()), sel, o.timestamps(), o.follow(), () -> running(c), out, err);
        } catch (IOException e) {
            throw new BerthException(ErrorCode.INTERNAL, "reading log of container " + c.name() + ": " + e.getMessage(), e);
        }
    }
}
