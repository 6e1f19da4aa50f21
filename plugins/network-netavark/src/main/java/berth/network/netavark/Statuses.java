package berth.network.netavark;

import berth.kernel.spi.network.HostEntry;
import berth.kernel.spi.network.NetworkAttachment;
import berth.kernel.spi.network.NetworkRequest;
import berth.kernel.spi.network.NetworkStatus;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The typed {@link NetworkStatus} the backend returns, built from netavark's replies and changed by connect/disconnect. */
final class Statuses {
    private Statuses() {
    }

    /** The status of a setup or connect: netavark's blocks typed, the container's names and, on DNS networks, its peers'. */
    static NetworkStatus of(NetworkRequest request, List<Netavark.Block> blocks, List<Netavark.Attach> attachments, Path runDir) {
        List<NetworkAttachment> atts = new ArrayList<>();
        List<String> dns = new ArrayList<>();
        List<String> search = new ArrayList<>();
        List<HostEntry> hosts = new ArrayList<>();
        List<String> ownNames = ownNames(request);
        for (Netavark.Block b : blocks) {
            atts.add(new NetworkAttachment(b.network(), b.interfaceName(), b.addresses(), b.gateways(), b.mac()));
            b.dnsServers().stream().filter(s -> !dns.contains(s)).forEach(dns::add);
            b.dnsSearch().stream().filter(s -> !search.contains(s)).forEach(search::add);
            for (String cidr : b.addresses()) {
                hosts.add(new HostEntry(cidr.substring(0, cidr.indexOf('/')), ownNames));
            }
        }
        for (Netavark.Attach a : attachments) {
            if (a.network().dnsEnabled()) {
                for (HostEntry h : AardvarkEntries.peers(runDir, a.network().name(), request.containerId())) {
                    if (!hosts.contains(h)) {
                        hosts.add(h);
                    }
                }
            }
        }
        Map<String, Object> details = new LinkedHashMap<>();
        List<Object> nets = new ArrayList<>();
        for (NetworkAttachment a : atts) {
            Map<String, Object> n = new LinkedHashMap<>();
            n.put("network", a.network());
            n.put("interface", a.interfaceName());
            nets.add(n);
        }
        details.put("networks", nets);
        details.put("runDir", runDir.toString());
        return new NetworkStatus(NetavarkNetworkBackend.ID, atts, dns, search, hosts, details);
    }

    /** The status after a connect: the old attachments, then the new one. */
    static NetworkStatus merge(NetworkStatus current, NetworkStatus added) {
        List<NetworkAttachment> atts = new ArrayList<>(current.attachments());
        atts.addAll(added.attachments());
        List<String> dns = new ArrayList<>(current.dnsServers());
        added.dnsServers().stream().filter(s -> !dns.contains(s)).forEach(dns::add);
        List<String> search = new ArrayList<>(current.dnsSearch());
        added.dnsSearch().stream().filter(s -> !search.contains(s)).forEach(search::add);
        List<HostEntry> hosts = new ArrayList<>(current.hostEntries());
        added.hostEntries().stream().filter(h -> !hosts.contains(h)).forEach(hosts::add);
        return new NetworkStatus(NetavarkNetworkBackend.ID, atts, dns, search, hosts, withNetworks(current.details(), atts));
    }

    private static Map<String, Object> withNetworks(Map<String, Object> details, List<NetworkAttachment> atts) {
        Map<String, Object> d = new LinkedHashMap<>(details);
        List<Object> nets = new ArrayList<>();
        for (NetworkAttachment a : atts) {
            nets.add(Map.of("network", a.network(), "interface", a.interfaceName()));
        }
        d.put("networks", nets);
        return d;
    }

    /** The status after a disconnect: without the attachment and the host entries of its addresses. */
    static NetworkStatus without(NetworkStatus current, NetworkAttachment gone) {
        List<NetworkAttachment> atts = new ArrayList<>(current.attachments());
        atts.remove(gone);
        List<HostEntry> hosts = new ArrayList<>();
        for (HostEntry h : current.hostEntries()) {
            boolean mine = gone.addresses().stream().anyMatch(c -> c.startsWith(h.address() + "/"));
            if (!mine) {
                hosts.add(h);
            }
        }
        return new NetworkStatus(NetavarkNetworkBackend.ID, atts, current.dnsServers(), current.dnsSearch(), hosts,
                withNetworks(current.details(), atts));
    }

    private static List<String> ownNames(NetworkRequest r) {
        String name = r.containerName() == null || r.containerName().isEmpty() ? r.containerId() : r.containerName();
        String host = r.hostname();
        return host == null || host.isEmpty() || host.equals(name) ? List.of(name) : List.of(name, host);
    }
}
