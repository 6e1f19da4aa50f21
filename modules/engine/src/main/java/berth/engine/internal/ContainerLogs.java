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
        if ("none".equals(c.config().logDriver())) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "container " + c.name() + " uses the \"none\" log driver: no logs to show");
        }
        try {
            K8sLog.copy(Path.of(c.config().logPath()), o.tail(), o.timestamps(), o.follow(), () -> {
                Optional<Container> cur = ctx.state().findContainer(c.id());
                return cur.isPresent() && exits.sync(cur.get()).status().isRunningOrPaused();
            }, out, err);
        } catch (IOException e) {
            throw new BerthException(ErrorCode.INTERNAL, "reading log of container " + c.name() + ": " + e.getMessage(), e);
        }
    }
}
