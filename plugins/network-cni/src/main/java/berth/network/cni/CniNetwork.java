package berth.network.cni;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.json.Json;
import berth.kernel.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One named network: its {@code NAME.conflist} as parsed JSON, with accessors for what berth shows. */
final class CniNetwork {
    static final String SUFFIX = ".conflist";

    private final String name;
    private final Path file;
    private final Map<String, Object> conflist;

    CniNetwork(String name, Path file, Map<String, Object> conflist) {
        this.name = name;
        this.file = file;
        this.conflist = conflist;
    }

    /** Reads and checks a conflist: a name matching the file name, a cniVersion, at least one plugin with a type. */
    static CniNetwork load(Path file) {
        String fileName = file.getFileName().toString();
        String expected = fileName.endsWith(SUFFIX) ? fileName.substring(0, fileName.length() - SUFFIX.length()) : fileName;
        JsonObject o;
        try {
            o = Json.parseObject(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new BerthException(ErrorCode.CONFIG_INVALID, "cannot read network config " + file + ": " + e.getMessage(), e);
        }
        String n = o.str("name", "");
        if (!n.equals(expected)) {
            throw new BerthException(ErrorCode.CONFIG_INVALID, "network config " + file + " names the network \"" + n
                    + "\" but its file name says \"" + expected + "\"");
        }
        if (o.str("cniVersion", "").isEmpty()) {
            throw new BerthException(ErrorCode.CONFIG_INVALID, "network config " + file + " has no cniVersion");
        }
        List<JsonObject> plugins = o.objects("plugins");
        if (plugins.isEmpty()) {
            throw new BerthException(ErrorCode.CONFIG_INVALID, "network config " + file + " has no plugins");
        }
        for (JsonObject p : plugins) {
            if (p.str("type", "").isEmpty()) {
                throw new BerthException(ErrorCode.CONFIG_INVALID, "network config " + file + " has a plugin without a type");
            }
        }
        return new CniNetwork(n, file, o.asMap());
    }

    String name() {
        return name;
    }

    Path file() {
        return file;
    }

    /** A deep copy of the conflist, free to modify. */
    Map<String, Object> conflistCopy() {
        return deepCopy(conflist);
    }

    String cniVersion() {
        return new JsonObject(conflist).str("cniVersion", "");
    }

    List<JsonObject> plugins() {
        return new JsonObject(conflist).objects("plugins");
    }

    List<String> pluginTypes() {
        List<String> out = new ArrayList<>();
        for (JsonObject p : plugins()) {
            out.add(p.str("type"));
        }
        return out;
    }

    /** The first plugin's type, as {@code network ls} shows it ({@code bridge}, {@code macvlan}, ...). */
    String driver() {
        return plugins().get(0).str("type");
    }

    /** The Linux bridge the first plugin attaches to, or null. */
    String bridge() {
        JsonObject p = plugins().get(0);
        return p.str("type").equals("bridge") ? p.str("bridge", "cni0") : null;
    }

    /** The first IPAM range: {subnet, gateway}; nulls when the config has none berth can read. */
    String[] subnetAndGateway() {
        for (JsonObject p : plugins()) {
            JsonObject ipam = p.obj("ipam");
            if (ipam == null) {
                continue;
            }
            Object ranges = ipam.raw("ranges");
            if (ranges instanceof List && !((List<?>) ranges).isEmpty() && ((List<?>) ranges).get(0) instanceof List) {
                List<?> set = (List<?>) ((List<?>) ranges).get(0);
                if (!set.isEmpty() && set.get(0) instanceof Map) {
                    @SuppressWarnings("unchecked")
                    JsonObject r = new JsonObject((Map<String, Object>) set.get(0));
                    return new String[] {r.str("subnet"), r.str("gateway")};
                }
            }
            if (ipam.has("subnet")) {
                return new String[] {ipam.str("subnet"), ipam.str("gateway")};
            }
        }
        return new String[] {null, null};
    }

    /** The IPv4 subnet, or null when there is none (or it is not IPv4). */
    Ipv4Subnet subnet() {
        String s = subnetAndGateway()[0];
        if (s == null) {
            return null;
        }
        try {
            return Ipv4Subnet.parse(s);
        } catch (BerthException e) {
            return null;
        }
    }

    /** The conflist of a bridge network as berth creates it: bridge + host-local, portmap, firewall, tuning. */
    static Map<String, Object> bridgeConflist(String name, String cniVersion, String bridge, Ipv4Subnet subnet, String gateway) {
        Map<String, Object> range = new LinkedHashMap<>();
        range.put("subnet", subnet.toString());
        range.put("gateway", gateway);
        Map<String, Object> ipam = new LinkedHashMap<>();
        ipam.put("type", "host-local");
        ipam.put("routes", List.of(Map.of("dst", "0.0.0.0/0")));
        ipam.put("ranges", List.of(List.of(range)));
        Map<String, Object> br = new LinkedHashMap<>();
        br.put("type", "bridge");
        br.put("bridge", bridge);
        br.put("isGateway", true);
        br.put("ipMasq", true);
        br.put("hairpinMode", true);
        br.put("ipam", ipam);
        Map<String, Object> portmap = new LinkedHashMap<>();
        portmap.put("type", "portmap");
        portmap.put("capabilities", Map.of("portMappings", true));
        Map<String, Object> firewall = new LinkedHashMap<>();
        firewall.put("type", "firewall");
        firewall.put("backend", "iptables");
        Map<String, Object> conf = new LinkedHashMap<>();
        conf.put("cniVersion", cniVersion);
        conf.put("name", name);
        conf.put("plugins", List.of(br, portmap, firewall, Map.of("type", "tuning")));
        return conf;
    }

    @SuppressWarnings("unchecked")
    static <T> T deepCopy(T value) {
        if (value instanceof Map) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                out.put(String.valueOf(e.getKey()), deepCopy(e.getValue()));
            }
            return (T) out;
        }
        if (value instanceof List) {
            List<Object> out = new ArrayList<>();
            for (Object o : (List<?>) value) {
                out.add(deepCopy(o));
            }
            return (T) out;
        }
        return value;
    }
}
