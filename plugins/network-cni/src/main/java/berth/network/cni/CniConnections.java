package berth.network.cni;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.json.JsonObject;
import berth.kernel.model.PortMapping;
import berth.kernel.spi.network.NetworkRequest;
import berth.kernel.spi.network.NetworkStatus;
import berth.support.FileLocks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code network connect/disconnect} of a set-up container: CNI ADD (or DEL) of one network on its
 * own interface, the other attachments left as they are. The container's published ports stay on
 * its first attachment, as at setup: a connect to a container left with no network gives them to the
 * new one, and a disconnect of the first moves them to the next (podman keeps a container's ports
 * reachable through such a disconnect).
 */
final class CniConnections {
    private final CniNetworkBackend backend;

    CniConnections(CniNetworkBackend backend) {
        this.backend = backend;
    }

    NetworkStatus connect(NetworkRequest request, NetworkStatus current, String network) {
        String cid = CniNetworkBackend.containerId(request);
        List<CniNetworkBackend.Attachment> attached = attachments(current);
        for (CniNetworkBackend.Attachment a : attached) {
            if (a.network.equals(network)) {
                throw new BerthException(ErrorCode.NETWORK_CONNECTED, "container " + CniNetworkBackend.label(request)
                        + " is already connected to network \"" + network + "\"");
            }
        }
        CniNetwork net = backend.network(network);
        for (String type : net.pluginTypes()) {
            backend.invoker.find(type, net.name()); // a missing plugin fails before anything changes
        }
        String netns = namespace(request);
        List<PortMapping> ports = attached.isEmpty() ? request.spec().ports() : List.of();
        CniNetworkBackend.Attachment added = new CniNetworkBackend.Attachment(net.name(), freeInterface(attached),
                backend.effectiveConflist(net), ports, "IgnoreUnknown=1", null);
        try {
            backend.add(added, cid, netns);
        } catch (RuntimeException e) {
            List<String> problems = new ArrayList<>();
            backend.del(added, cid, netns, problems);
            String msg = "cannot connect container " + CniNetworkBackend.label(request) + " to network \"" + network + "\": "
                    + e.getMessage() + (problems.isEmpty() ? "" : " (undoing it also failed: " + String.join("; ", problems) + ")");
            throw new BerthException(e instanceof BerthException b ? b.code() : ErrorCode.NETWORK_ERROR, msg, e);
        }
        attached.add(added);
        return backend.status(request, attached);
    }

    NetworkStatus disconnect(NetworkRequest request, NetworkStatus current, String network) {
        String cid = CniNetworkBackend.containerId(request);
        List<CniNetworkBackend.Attachment> attached = attachments(current);
        int index = -1;
        for (int i = 0; i < attached.size(); i++) {
            if (attached.get(i).network.equals(network)) {
                index = i;
            }
        }
        if (index < 0) {
            throw new BerthException(ErrorCode.USAGE, "container " + CniNetworkBackend.label(request)
                    + " is not connected to network " + network);
        }
        Path ns = request.netnsPath();
        String netns = ns != null && Files.exists(ns) ? ns.toString() : "";
        CniNetworkBackend.Attachment gone = attached.remove(index);
        List<String> problems = new ArrayList<>();
        backend.del(gone, cid, netns, problems);
        FileLocks.withLock(backend.runLock, () -> backend.hosts.removeFrom(network, cid));
        if (!problems.isEmpty()) {
            throw new BerthException(ErrorCode.NETWORK_ERROR, "cannot disconnect container " + CniNetworkBackend.label(request)
                    + " from network \"" + network + "\": " + String.join("; ", problems));
        }
        if (index == 0 && !gone.ports.isEmpty() && !attached.isEmpty() && !netns.isEmpty()) {
            attached.set(0, withPorts(attached.get(0), gone.ports, cid, netns));
        }
        return backend.status(request, attached);
    }

    /** The attachment again with the ports published through it: only its port-mapping plugins run ADD. */
    private CniNetworkBackend.Attachment withPorts(CniNetworkBackend.Attachment a, List<PortMapping> ports, String cid, String netns) {
        CniNetworkBackend.Attachment p = new CniNetworkBackend.Attachment(a.network, a.ifName, a.conflist, ports, a.args, a.result);
        for (JsonObject plugin : p.plugins()) {
            JsonObject caps = plugin.obj("capabilities");
            if (caps == null || !caps.bool("portMappings", false)) {
                continue;
            }
            Map<String, Object> res = backend.invoker.invoke(plugin.str("type"), "ADD", new CniInvoker.Call(cid, netns, p.ifName, p.args),
                    CniNetworkBackend.pluginConfig(p, plugin, p.result), p.network);
            if (res != null) {
                p.result = res;
            }
        }
        return p;
    }

    private List<CniNetworkBackend.Attachment> attachments(NetworkStatus current) {
        List<CniNetworkBackend.Attachment> attached = backend.attachmentsFromStatus(current);
        return attached == null ? new ArrayList<>() : new ArrayList<>(attached);
    }

    private static String namespace(NetworkRequest request) {
        Path ns = request.netnsPath();
        if (ns == null || !Files.exists(ns)) {
            throw new BerthException(ErrorCode.NETWORK_ERROR, "network namespace " + ns + " of container "
                    + CniNetworkBackend.label(request) + " does not exist");
        }
        return ns.toString();
    }

    /** podman's getFreeInterfaceName: the lowest ethN no attachment uses. */
    static String freeInterface(List<CniNetworkBackend.Attachment> attached) {
        for (int i = 0; ; i++) {
            String name = "eth" + i;
            if (attached.stream().noneMatch(a -> a.ifName.equals(name))) {
                return name;
            }
        }
    }
}
