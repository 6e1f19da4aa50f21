package berth.network.pasta;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.json.Json;
import berth.support.Subprocess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What pasta configured in a namespace, read back from the namespace as podman does (pasta copies the
 * host's interface name, addresses and gateways, or what its options say, so only the namespace knows):
 * the interface, its MAC, its addresses without loopback, multicast and IPv6 link-local ones (they work
 * for nobody else), and the default gateways through it, IPv4 first.
 */
record NamespaceAddresses(String interfaceName, String mac, List<String> addresses, List<String> gateways) {
    /** One {@code ip} in the namespace for all three questions; {@code table all ::/0} is how a batch line asks for IPv6. */
    private static final String QUERIES = "addr show\nroute show default\nroute show table all ::/0\n";

    NamespaceAddresses {
        addresses = List.copyOf(addresses);
        gateways = List.copyOf(gateways);
    }

    boolean hasIpv4() {
        return addresses.stream().anyMatch(a -> !a.contains(":"));
    }

    boolean hasIpv6() {
        return addresses.stream().anyMatch(a -> a.contains(":"));
    }

    static NamespaceAddresses read(Path nsenter, Path ip, Path netns) {
        Subprocess.Result r = Subprocess.of(nsenter.toString(), "--net=" + netns, ip.toString(), "-j", "-batch", "-")
                .stdin(QUERIES.getBytes(StandardCharsets.UTF_8))
                .timeoutMillis(10_000)
                .drainAfterExitMillis(200)
                .check(ErrorCode.NETWORK_ERROR);
        return parse(r.stdout());
    }

    /** Parses the three JSON arrays {@code ip -j -batch} prints one after the other. */
    static NamespaceAddresses parse(String output) {
        List<List<Map<String, Object>>> answers = arrays(output);
        if (answers.size() != 3) {
            throw new BerthException(ErrorCode.NETWORK_ERROR, "cannot read the addresses pasta configured: ip printed "
                    + answers.size() + " answers instead of 3: " + output.strip());
        }
        String name = "";
        String mac = "";
        List<String> addresses = new ArrayList<>();
        for (Map<String, Object> link : answers.get(0)) {
            String ifname = String.valueOf(link.get("ifname"));
            if (String.valueOf(link.get("flags")).contains("LOOPBACK") || !(link.get("addr_info") instanceof List<?> infos)) {
                continue;
            }
            List<String> own = new ArrayList<>();
            for (Object o : infos) {
                if (o instanceof Map<?, ?> info && usable(info)) {
                    own.add(info.get("local") + "/" + ((Number) info.get("prefixlen")).intValue());
                }
            }
            if (!own.isEmpty() && name.isEmpty()) {
                name = ifname;
                mac = link.get("address") == null ? "" : String.valueOf(link.get("address"));
                addresses.addAll(own);
            }
        }
        if (name.isEmpty()) {
            throw new BerthException(ErrorCode.NETWORK_ERROR, "pasta configured no address in the namespace (ip addr: "
                    + Json.write(answers.get(0)) + ")");
        }
        List<String> gateways = new ArrayList<>();
        for (int i = 1; i <= 2; i++) {
            for (Map<String, Object> route : answers.get(i)) {
                Object via = route.get("gateway");
                if (via != null && name.equals(route.get("dev")) && !gateways.contains(String.valueOf(via))) {
                    gateways.add(String.valueOf(via));
                }
            }
        }
        return new NamespaceAddresses(name, mac, addresses, gateways);
    }

    private static boolean usable(Map<?, ?> info) {
        String local = String.valueOf(info.get("local"));
        if (info.get("local") == null || !(info.get("prefixlen") instanceof Number)) {
            return false;
        }
        boolean v6 = "inet6".equals(info.get("family"));
        if (v6) {
            String l = local.toLowerCase();
            return !l.equals("::1") && !l.startsWith("fe8") && !l.startsWith("fe9") && !l.startsWith("fea") && !l.startsWith("feb")
                    && !l.startsWith("ff");
        }
        return "inet".equals(info.get("family")) && !local.startsWith("127.") && !isMulticast4(local);
    }

    private static boolean isMulticast4(String dotted) {
        int first = Integer.parseInt(dotted.substring(0, dotted.indexOf('.')));
        return first >= 224 && first <= 239;
    }

    /** Splits concatenated top-level JSON arrays (strings may hold brackets) and parses each. */
    @SuppressWarnings("unchecked")
    private static List<List<Map<String, Object>>> arrays(String text) {
        List<List<Map<String, Object>>> out = new ArrayList<>();
        int depth = 0;
        int start = -1;
        boolean inString = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '[' || c == '{') {
                if (depth++ == 0) {
                    start = i;
                }
            } else if ((c == ']' || c == '}') && --depth == 0) {
                try {
                    Object v = Json.parse(text.substring(start, i + 1));
                    List<Map<String, Object>> items = new ArrayList<>();
                    if (v instanceof List<?> l) {
                        for (Object o : l) {
                            items.add((Map<String, Object>) o);
                        }
                    }
                    out.add(items);
                } catch (Json.MalformedJsonException | ClassCastException e) {
                    throw new BerthException(ErrorCode.NETWORK_ERROR, "cannot read the addresses pasta configured: ip printed no JSON: "
                            + text.strip(), e);
                }
            }
        }
        return out;
    }
}
