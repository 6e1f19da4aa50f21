package berth.engine.internal;

import berth.kernel.model.Container;
import berth.kernel.model.AttachResult;
import berth.kernel.model.AttachStreams;
import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.spi.runtime.OciRuntime;
import berth.kernel.spi.runtime.RuntimeContainer;

/** {@code attach} to a running container, and its terminal's size. */
public final class Terminals {
    private final EngineContext ctx;

    public Terminals(EngineContext ctx) {
        this.ctx = ctx;
    }

    public AttachResult attach(Container c, AttachStreams streams) {
        if (!c.status().isRunningOrPaused()) {
            throw ContainerErrors.improper(c, "you can only attach to running containers");
        }
        ctx.events().container(c, berth.engine.events.EventStatus.ATTACH);
        return ctx.runtime(c).attach(ctx.runtimeView(c), streams, null);
    }

    public void resize(Container c, int height, int width) {
        ctx.runtime(c).resizeTerminal(ctx.runtimeView(c), height, width);
    }

    /**
     * The terminal of a running exec session. A client resizes as soon as it started the session, maybe
     * before the session's monitor made its control FIFO: that is waited for, briefly.
     */
    public void resizeExec(Container c, String sessionId, int height, int width) {
        if (!isSessionId(sessionId)) {
            throw new BerthException(ErrorCode.NO_SUCH_EXEC_SESSION, "no exec session " + sessionId + " in container " + c.name());
        }
        OciRuntime rt = ctx.runtime(c);
        RuntimeContainer view = ctx.runtimeView(c);
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (true) {
            try {
                rt.resizeExecTerminal(view, sessionId, height, width);
                return;
            } catch (BerthException e) {
                if (e.code() != ErrorCode.NO_SUCH_EXEC_SESSION || System.nanoTime() > deadline) {
                    throw e;
                }
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BerthException(ErrorCode.INTERNAL, "interrupted while resizing exec session " + sessionId, e);
            }
        }
    }

    static boolean isSessionId(String id) {
        return id != null && id.length() == 64 && id.chars().allMatch(ch -> ch >= '0' && ch <= '9' || ch >= 'a' && ch <= 'f');
    }
}
