package berth.api.docker;

import berth.engine.Engine;
import berth.kernel.json.JsonObject;
import berth.kernel.model.Container;
import berth.kernel.model.NetworkDefinition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The network endpoints over the engine's named networks. */
final class NetworkRoutes {
    private final Engine engine;

    NetworkRoutes(Engine engine) {
        this.engine = engine;
    }

    void register(Router r) {
        r.add(Route.of("GET", "/networks", (x, p) -> x.sendJson(200, list(x))));
        r.add(Route.of("POST", "/networks/create", (x, p) -> create(x)));
        r.add(Route.of("POST", "/networks/prune", (x, p) -> prune(x)));
        r.add(Route.of("GET", "/networks/{id}", (x, p) -> x.sendJson(200, json(find(p[0]), true))));
        r.add(Route.of("DELETE", "/networks/{id}", (x, p) -> {
            engine.removeNetwork(find(p[0]).name());
            x.sendEmpty(204);
        }));
        r.add(Route.of("POST", "/networks/{id}/connect", (x, p) -> connect(x, p[0])));
        r.add(Route.of("POST", "/networks/{id}/disconnect", (x, p) -> disconnect(x, p[0])));
    }

    private List<Object> list(Exchange x) {
        Map<String, List<String>> filters = x.filters();
        List<Object> out = new ArrayList<>();
        for (NetworkDefinition n : engine.networks()) {
            List<String> names = filters.getOrDefault("name", List.of());
            List<String> ids = filters.getOrDefault("id", List.of());
            if (!names.isEmpty() && names.stream().noneMatch(v -> n.name().contains(v))) {
                continue;
            }
            if (!ids.isEmpty() && ids.stream().noneMatch(v -> id(n).startsWith(v))) {
                continue;
            }
            out.add(json(n, false));
        }
        return out;
    }

    private void create(Exchange x) throws Exception {
        JsonObject b = x.json();
        String name = b.str("Name");
        if (name == null || name.isEmpty()) {
            throw ApiError.badRequest("network name is required (Name)");
        }
        String driver = b.str("Driver", "bridge");
        if (!driver.isEmpty() && !driver.equals("bridge")) {
            throw ApiError.badRequest("network driver " + driver + " is not supported: berth makes bridge networks");
        }
        if (engine.networks().stream().anyMatch(n -> n.name().equals(name))) {
            throw new ApiError(409, "network with name " + name + " already exists");
        }
        String subnet = null;
        String gateway = null;
        JsonObject ipam = b.obj("IPAM");
        if (ipam != null && !ipam.objects("Config").isEmpty()) {
            subnet = ipam.objects("Config").get(0).str("Subnet");
            gateway = ipam.objects("Config").get(0).str("Gateway");
        }
        NetworkDefinition n = engine.createNetwork(name, subnet, gateway);
        x.sendJson(201, Map.of("Id", id(n), "Warning", ""));
    }

    private void prune(Exchange x) {
        List<String> deleted = new ArrayList<>();
        List<Container> containers = engine.containers();
        String dflt = engine.config().defaultNetwork();
        for (NetworkDefinition n : engine.networks()) {
            boolean used = containers.stream().anyMatch(c -> c.config().network().networks().contains(n.name()));
            if (used || n.name().equals(dflt) || n.name().equals("podman") || n.name().equals("bridge")) {
                continue;
            }
            try {
                engine.removeNetwork(n.name());
                deleted.add(n.name());
            } catch (RuntimeException e) {
                // in use meanwhile
            }
        }
        x.sendJson(200, Map.of("NetworksDeleted", deleted));
    }

    /** Docker's body: {@code {"Container": ID, "EndpointConfig": {"Aliases": [...]}}}; other endpoint settings are not berth's. */
    private void connect(Exchange x, String network) throws Exception {
        NetworkDefinition n = find(network);
        JsonObject b = x.json();
        JsonObject endpoint = b.obj("EndpointConfig");
        List<String> aliases = endpoint == null ? List.of() : endpoint.strings("Aliases");
        engine.connectNetwork(n.name(), container(b), aliases);
        x.sendEmpty(200);
    }

    /** Docker's body: {@code {"Container": ID, "Force": bool}}. */
    private void disconnect(Exchange x, String network) throws Exception {
        NetworkDefinition n = find(network);
        JsonObject b = x.json();
        engine.disconnectNetwork(n.name(), container(b), b.bool("Force", false));
        x.sendEmpty(200);
    }

    private static String container(JsonObject body) {
        String c = body.str("Container");
        if (c == null || c.isEmpty()) {
            throw ApiError.badRequest("a container is required (Container)");
        }
        return c;
    }

    NetworkDefinition find(String idOrName) {
        for (NetworkDefinition n : engine.networks()) {
            if (n.name().equals(idOrName) || id(n).equals(idOrName)) {
                return n;
            }
        }
        for (NetworkDefinition n : engine.networks()) {
            if (id(n).startsWith(idOrName)) {
                return n;
            }
        }
        if (idOrName.equals("bridge")) {
            return defaultNetwork();
        }
        throw ApiError.notFound("network " + idOrName + " not found");
    }

    /**
     * Docker's {@code bridge} is the network the bridge mode joins (Testcontainers asks for its
     * gateway); before a container made it, it is described from the configuration.
     */
    private NetworkDefinition defaultNetwork() {
        String name = engine.config().networkOptions().getOrDefault("default_network", "berth");
        for (NetworkDefinition n : engine.networks()) {
            if (n.name().equals(name)) {
                return n;
            }
        }
        String subnet = engine.config().networkOptions().getOrDefault("default_subnet", "10.89.0.0/24");
        return new NetworkDefinition(name, "bridge", subnet, null, Map.of());
    }

    /** The gateway a bridge network gets when none is set: the subnet's first address. */
    static String gateway(NetworkDefinition n) {
        if (n.gateway() != null && !n.gateway().isEmpty()) {
            return n.gateway();
        }
        if (n.subnet() == null || !n.subnet().matches("\\d+\\.\\d+\\.\\d+\\.\\d+/\\d+")) {
            return null;
        }
        String[] ip = n.subnet().substring(0, n.subnet().indexOf('/')).split("\\.");
        return ip[0] + "." + ip[1] + "." + ip[2] + "." + (Integer.parseInt(ip[3]) + 1);
    }

    static String id(NetworkDefinition n) {
        Object id = n.details().get("id");
        return id instanceof String s && !s.isEmpty() ? s : n.name();
    }

    private Map<String, Object> json(NetworkDefinition n, boolean withContainers) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Name", n.name());
        m.put("Id", id(n));
        m.put("Created", "0001-01-01T00:00:00Z");
        m.put("Scope", "local");
        m.put("Driver", n.driver() == null || n.driver().isEmpty() ? "bridge" : n.driver());
        m.put("EnableIPv6", false);
        List<Object> config = new ArrayList<>();
        if (n.subnet() != null && !n.subnet().isEmpty()) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("Subnet", n.subnet());
            if (gateway(n) != null) {
                c.put("Gateway", gateway(n));
            }
            config.add(c);
        }
        m.put("IPAM", Map.of("Driver", "default", "Options", Map.of(), "Config", config));
        m.put("Internal", false);
        m.put("Attachable", false);
        m.put("Ingress", false);
        Map<String, Object> containers = new LinkedHashMap<>();
        if (withContainers) {
            for (Container c : engine.containers()) {
                if (c.config().network().networks().contains(n.name())) {
                    containers.put(c.id(), Map.of("Name", c.name(), "EndpointID", "", "MacAddress", "", "IPv4Address", "", "IPv6Address", ""));
                }
            }
        }
        m.put("Containers", containers);
        m.put("Options", Map.of());
        m.put("Labels", Map.of());
        return m;
    }
}
