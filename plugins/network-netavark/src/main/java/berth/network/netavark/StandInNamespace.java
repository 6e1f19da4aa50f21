package berth.network.netavark;

import berth.kernel.error.BerthException;
import berth.support.Subprocess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A namespace to hand netavark's teardown when the container's own is gone (deleted, or the host
 * rebooted): netavark refuses a missing path. For each network whose bridge still exists it holds
 * a veth whose container end has the container's interface name and whose host end is on the bridge,
 * so netavark finds "the container's interface" to delete and, when that was the bridge's last port,
 * removes the bridge and the network's firewall rules as in a normal teardown. The container's own
 * port rules go either way.
 */
final class StandInNamespace implements AutoCloseable {
    private final String name;

    private StandInNamespace(String name) {
        this.name = name;
    }

    static StandInNamespace create(List<Netavark.Attach> attachments) {
        String name = "berth-nvk-" + String.format("%08x", ThreadLocalRandom.current().nextInt());
        ip("netns", "add", name);
        StandInNamespace ns = new StandInNamespace(name);
        try {
            for (Netavark.Attach a : attachments) {
                String bridge = a.network().networkInterface();
                if (bridge.isEmpty() || !Files.isDirectory(Path.of("/sys/class/net", bridge))) {
                    continue;
                }
                String host = "bnk" + String.format("%08x", ThreadLocalRandom.current().nextInt());
                ip("link", "add", host, "type", "veth", "peer", "name", a.interfaceName(), "netns", name);
                ip("link", "set", host, "master", bridge, "up");
            }
        } catch (RuntimeException e) {
            ns.close();
            throw e;
        }
        return ns;
    }

    Path path() {
        return Path.of("/run/netns", name);
    }

    private static void ip(String... args) {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "ip";
        System.arraycopy(args, 0, cmd, 1, args.length);
        Subprocess.of(cmd).timeoutMillis(10_000).check(berth.kernel.error.ErrorCode.NETWORK_ERROR);
    }

    @Override
    public void close() {
        try {
            // deleting the namespace deletes what is left in it, and the veths' host ends with them
            ip("netns", "del", name);
        } catch (BerthException e) {
            // already gone
        }
    }
}
