package berth.kernel.spi.network;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The outcome of a network setup, kept in the container's state so teardown, /etc/hosts and inspect can
 * use it. Everything the engine reads is typed; {@code details} is the backend's own, opaque to the
 * engine, handed back at teardown.
 *
 * @param backend the id of the backend that made it
 * @param attachments the container's interfaces, in attach order
 * @param dnsServers name servers for the container's /etc/resolv.conf, in order; empty for the host's
 * @param dnsSearch search domains for /etc/resolv.conf
 * @param hostEntries lines the backend knows for the container's /etc/hosts: its own names and those of its
 *        peers on the networks the backend manages (the engine adds the peers it knows of itself)
 * @param details backend data needed at teardown (PIDs, CNI results); plain JSON values
 */
public record NetworkStatus(String backend, List<NetworkAttachment> attachments, List<String> dnsServers,
                            List<String> dnsSearch, List<HostEntry> hostEntries, Map<String, Object> details) {
    public NetworkStatus {
        Objects.requireNonNull(backend, "backend");
        attachments = List.copyOf(attachments);
        dnsServers = List.copyOf(dnsServers);
        dnsSearch = List.copyOf(dnsSearch);
        hostEntries = List.copyOf(hostEntries);
        Map<String, Object> d = new LinkedHashMap<>();
        details.forEach((k, v) -> d.put(Objects.requireNonNull(k), Objects.requireNonNull(v, k)));
        details = Collections.unmodifiableMap(d);
    }

    /** A status that says only which backend it is (teardown of a setup that failed half way). */
    public static NetworkStatus empty(String backend) {
        return new NetworkStatus(backend, List.of(), List.of(), List.of(), List.of(), Map.of());
    }

    /** The container's addresses (CIDR) by network name, in attach order. */
    public Map<String, List<String>> addresses() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (NetworkAttachment a : attachments) {
            out.computeIfAbsent(a.network(), k -> new ArrayList<>()).addAll(a.addresses());
        }
        return out;
    }

    /** The JSON form kept in the container's state (plain maps and lists). */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("backend", backend);
        m.put("addresses", addresses()); // read by older berth versions and by inspect
        List<Object> atts = new ArrayList<>();
        for (NetworkAttachment a : attachments) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("network", a.network());
            x.put("interface", a.interfaceName());
            x.put("addresses", a.addresses());
            x.put("gateways", a.gateways());
            x.put("mac", a.macAddress());
            atts.add(x);
        }
        m.put("attachments", atts);
        m.put("dns", dnsServers);
        m.put("dnsSearch", dnsSearch);
        List<Object> hosts = new ArrayList<>();
        for (HostEntry h : hostEntries) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("address", h.address());
            x.put("names", h.names());
            hosts.add(x);
        }
        m.put("hosts", hosts);
        m.put("details", details);
        return m;
    }

    /**
     * Reads {@link #toJson()}'s form; also the older form with only {@code backend}, {@code addresses}
     * and {@code details}. Null for an empty map (no network set up).
     */
    public static NetworkStatus fromJson(Map<String, Object> m) {
        if (m == null || m.isEmpty() || m.get("backend") == null) {
            return null;
        }
        List<NetworkAttachment> atts = new ArrayList<>();
        if (m.get("attachments") instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof Map<?, ?> x) {
                    atts.add(new NetworkAttachment(str(x.get("network")), str(x.get("interface")), strings(x.get("addresses")),
                            strings(x.get("gateways")), str(x.get("mac"))));
                }
            }
        } else if (m.get("addresses") instanceof Map<?, ?> byNet) {
            byNet.forEach((k, v) -> atts.add(new NetworkAttachment(str(k), "", strings(v), List.of(), "")));
        }
        List<HostEntry> hosts = new ArrayList<>();
        if (m.get("hosts") instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof Map<?, ?> x) {
                    hosts.add(new HostEntry(str(x.get("address")), strings(x.get("names"))));
                }
            }
        }
        Map<String, Object> details = new LinkedHashMap<>();
        if (m.get("details") instanceof Map<?, ?> d) {
            d.forEach((k, v) -> {
                if (v != null) {
                    details.put(String.valueOf(k), v);
                }
            });
        }
        return new NetworkStatus(str(m.get("backend")), atts, strings(m.get("dns")), strings(m.get("dnsSearch")), hosts, details);
    }

    private static String str(Object o) {
        return o == null ? "" : String.valueOf(o);
    }

    private static List<String> strings(Object o) {
        List<String> out = new ArrayList<>();
        if (o instanceof List<?> l) {
            l.forEach(x -> out.add(String.valueOf(x)));
        } else if (o instanceof String s && !s.isBlank()) {
            out.add(s);
        }
        return out;
    }
}
