package berth.engine.internal;

import berth.kernel.model.Container;
import berth.kernel.model.AttachResult;
import berth.kernel.model.AttachStreams;

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
}
