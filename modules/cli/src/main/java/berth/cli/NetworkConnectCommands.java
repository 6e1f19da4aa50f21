package berth.cli;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import java.util.List;

/** {@code network connect} and {@code network disconnect}, podman's commands and wording (silent on success). */
final class NetworkConnectCommands {
    private NetworkConnectCommands() {
    }

    static List<Cmd> commands() {
        return List.of(
                new Cmd("connect", "network connect [--alias NAME]... NETWORK CONTAINER",
                        "Connect a container to a network (a running one at once, others at their next start).",
                        Commands.opts(Opt.value("--alias", "NAME", "Another name for the container on that network (repeatable).")),
                        false, 0, NetworkConnectCommands::connect),
                new Cmd("disconnect", "network disconnect [-f] NETWORK CONTAINER", "Disconnect a container from a network.",
                        Commands.opts(Opt.flag("-f,--force", "Take the container off the network even when its backend fails to.")),
                        false, 0, NetworkConnectCommands::disconnect));
    }

    static int connect(Context ctx, Args a) {
        List<String> pos = exactlyTwo(a);
        ctx.engine().connectNetwork(pos.get(0), pos.get(1), a.all("alias"));
        return 0;
    }

    static int disconnect(Context ctx, Args a) {
        List<String> pos = exactlyTwo(a);
        ctx.engine().disconnectNetwork(pos.get(0), pos.get(1), a.has("force"));
        return 0;
    }

    /** cobra's ExactArgs(2), as podman words it. */
    private static List<String> exactlyTwo(Args a) {
        List<String> pos = a.positional();
        if (pos.size() != 2) {
            throw new BerthException(ErrorCode.USAGE, "accepts 2 arg(s), received " + pos.size());
        }
        return pos;
    }
}
