package berth.api.docker;

import berth.kernel.model.Container;
import java.util.List;
import java.util.Map;

/** Docker's container list filters: id, name, label, status, ancestor, network, exited. */
final class ContainerFilters {
    private ContainerFilters() {
    }

    static boolean matches(Container c, Map<String, List<String>> filters) {
        for (Map.Entry<String, List<String>> f : filters.entrySet()) {
            List<String> values = f.getValue();
            if (values.isEmpty()) {
                continue;
            }
            // Docker: every label filter must hold; of the other keys' values, one
            boolean all = f.getKey().equals("label");
            boolean ok = all;
            for (String v : values) {
                ok = all ? ok && one(c, f.getKey(), v) : ok || one(c, f.getKey(), v);
            }
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static boolean one(Container c, String key, String v) {
        switch (key) {
            case "id":
                return c.id().startsWith(v);
            case "name":
                return c.name().contains(v.replaceFirst("^/", ""));
            case "label":
                return Filters.labelMatches(v, c.config().labels());
            case "status":
                return ContainerJson.state(c.status()).equals(v);
            case "ancestor":
                String img = c.config().image() == null ? "" : c.config().image();
                return img.equals(v) || img.endsWith("/" + v) || img.equals(v + ":latest") || (c.config().imageId() != null
                        && c.config().imageId().startsWith(v.replaceFirst("^sha256:", "")));
            case "network":
                return c.config().network().networks().contains(v);
            case "exited":
                return !c.status().isActive() && Integer.toString(c.state().exitCode()).equals(v);
            default:
                throw ApiError.badRequest("invalid filter '" + key + "'");
        }
    }
}
