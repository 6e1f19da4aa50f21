package berth.network.netavark;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A network as podman 4 keeps it for netavark ({@code types.Network} of containers/common
 * libnetwork): the {@code NAME.json} file's fields, and the {@code network_info} netavark reads.
 *
 * @param created Go's RFC 3339 time text, kept as read so a file round-trips unchanged
 * @param subnets each {@code {subnet, gateway?, lease_range?}} as in the file
 */
record PodmanNetwork(String name, String id, String driver, String networkInterface, String created,
                     List<Subnet> subnets, boolean ipv6Enabled, boolean internal, boolean dnsEnabled,
                     Map<String, String> labels, Map<String, String> options, Map<String, String> ipamOptions) {
    static final String BRIDGE = "bridge";
    static final String HOST_LOCAL = "host-local";

    /** One subnet; {@code gateway} empty when the network has none (internal without DNS). */
    record Subnet(String subnet, String gateway, Map<String, Object> leaseRange) {
        Subnet {
            gateway = gateway == null ? "" : gateway;
            leaseRange = leaseRange == null ? Map.of() : Map.copyOf(leaseRange);
        }

        boolean isIpv4() {
            return !subnet.contains(":");
        }

        Ipv4Net ipv4() {
            return Ipv4Net.parse(subnet, "subnet");
        }
    }

    PodmanNetwork {
        subnets = List.copyOf(subnets);
        labels = Map.copyOf(labels);
        options = Map.copyOf(options);
        ipamOptions = Map.copyOf(ipamOptions);
        networkInterface = networkInterface == null ? "" : networkInterface;
        created = created == null ? "" : created;
    }

    /** True when podman allocates this network's addresses in ipam.db (libnetwork's requiresIPAMAlloc). */
    boolean allocatesAddresses() {
        String driver = ipamOptions.getOrDefault("driver", "");
        return (driver.isEmpty() || driver.equals(HOST_LOCAL)) && !subnets.isEmpty();
    }

    static PodmanNetwork fromJson(JsonObject o, String what) {
        String name = o.str("name", "");
        String id = o.str("id", "");
        if (name.isEmpty()) {
            throw new BerthException(ErrorCode.CONFIG_INVALID, what + ": no \"name\"");
        }
        if (!id.matches("[0-9a-f]{64}")) {
            throw new BerthException(ErrorCode.CONFIG_INVALID, what + ": \"id\" " + id + " is not 64 hex digits");
        }
        List<Subnet> subnets = new ArrayList<>();
        for (JsonObject s : o.objects("subnets")) {
            String cidr = s.str("subnet", "");
            if (cidr.isEmpty()) {
                throw new BerthException(ErrorCode.CONFIG_INVALID, what + ": a subnet without \"subnet\"");
            }
            Subnet sn = new Subnet(cidr, s.str("gateway", ""), s.obj("lease_range") == null ? Map.of() : s.obj("lease_range").asMap());
            if (sn.isIpv4()) {
                Ipv4Net net = sn.ipv4();
                if (!sn.gateway().isEmpty() && !net.contains(Ipv4Net.parseAddress(sn.gateway(), what + ": gateway"))) {
                    throw new BerthException(ErrorCode.CONFIG_INVALID, what + ": gateway " + sn.gateway() + " is not in subnet " + cidr);
                }
            }
            subnets.add(sn);
        }
        return new PodmanNetwork(name, id, o.str("driver", BRIDGE), o.str("network_interface", ""), o.str("created", ""), subnets,
                o.bool("ipv6_enabled", false), o.bool("internal", false), o.bool("dns_enabled", false), o.stringMap("labels"),
                o.stringMap("options"), o.stringMap("ipam_options"));
    }

    /** The JSON podman writes (Go's field order, its omitempty fields left out when empty). */
    Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("id", id);
        m.put("driver", driver);
        if (!networkInterface.isEmpty()) {
            m.put("network_interface", networkInterface);
        }
        m.put("created", created.isEmpty() ? "0001-01-01T00:00:00Z" : created);
        if (!subnets.isEmpty()) {
            List<Object> list = new ArrayList<>();
            for (Subnet s : subnets) {
                Map<String, Object> x = new LinkedHashMap<>();
                x.put("subnet", s.subnet());
                if (!s.gateway().isEmpty()) {
                    x.put("gateway", s.gateway());
                }
                if (!s.leaseRange().isEmpty()) {
                    x.put("lease_range", s.leaseRange());
                }
                list.add(x);
            }
            m.put("subnets", list);
        }
        m.put("ipv6_enabled", ipv6Enabled);
        m.put("internal", internal);
        m.put("dns_enabled", dnsEnabled);
        if (!labels.isEmpty()) {
            m.put("labels", labels);
        }
        if (!options.isEmpty()) {
            m.put("options", options);
        }
        if (!ipamOptions.isEmpty()) {
            m.put("ipam_options", ipamOptions);
        }
        return m;
    }
}
