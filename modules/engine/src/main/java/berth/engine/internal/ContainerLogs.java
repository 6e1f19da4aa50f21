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
        java.util.List<Thread> threads = new java.util.ArrayList<>();
        BerthException[] failed = {null};
        for (Container c : cs) {
            Thread t = new Thread(() -> {
                try {
                    copy(c, o, prefix(c, o), out, err);
                } catch (BerthException e) {
                    failed[0] = e;
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

    private static String prefix(Container c, LogOptions o) {
        return (o.names() ? c.name() : c.config().shortId()) + " ";
    }

    private void copy(Container c, LogOptions o, String prefix, OutputStream out, OutputStream err) {
        if ("none".equals(c.config().logDriver())) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "container " + c.name() + " uses the \"none\" log driver: no logs to show");
        }
        try {
            K8sLog.Selection sel = new K8sLog.Selection(o.tail(), o.since(), o.until(), prefix);
            K8sLog.copy(Path.of(c.config().logPath()), sel, o.timestamps(), o.follow(), () -> {
                Optional<Container> cur = ctx.state().findContainer(c.id());
                return cur.isPresent() && exits.sync(cur.get()).status().isRunningOrPaused();
            }, out, err);
        } catch (IOException e) {
            throw new BerthException(ErrorCode.INTERNAL, "reading log of container " + c.name() + ": " + e.getMessage(), e);
        }
    }
}
