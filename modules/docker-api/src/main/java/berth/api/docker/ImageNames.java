package berth.api.docker;

import berth.kernel.model.ImageInfo;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Image names as Docker clients write them: {@code busybox:latest}, not {@code docker.io/library/busybox:latest}. */
final class ImageNames {
    private ImageNames() {
    }

    static String shortName(String name) {
        if (name.startsWith("docker.io/library/")) {
            return name.substring("docker.io/library/".length());
        }
        return name.startsWith("docker.io/") ? name.substring("docker.io/".length()) : name;
    }

    static List<String> tags(ImageInfo i) {
        List<String> out = new ArrayList<>();
        i.names().forEach(n -> out.add(shortName(n)));
        return out;
    }

    /** The reference without its tag or digest. */
    static String repository(String ref) {
        String r = ref;
        int at = r.indexOf('@');
        if (at >= 0) {
            r = r.substring(0, at);
        }
        int slash = r.lastIndexOf('/');
        int colon = r.lastIndexOf(':');
        return colon > slash ? r.substring(0, colon) : r;
    }

    /** Docker treats registries on 127.0.0.0/8 as insecure (plain HTTP allowed); so does the API. */
    static boolean loopbackRegistry(String ref) {
        int slash = ref.indexOf('/');
        if (slash < 0) {
            return false;
        }
        String host = ref.substring(0, slash);
        if (!host.contains(".") && !host.contains(":") && !host.equals("localhost")) {
            return false;
        }
        String h = host.replaceFirst(":[0-9]+$", "");
        try {
            return h.equals("localhost") || InetAddress.getByName(h).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    static boolean matches(ImageInfo i, Map<String, List<String>> filters) {
        for (Map.Entry<String, List<String>> f : filters.entrySet()) {
            for (String v : f.getValue()) {
                boolean ok;
                switch (f.getKey()) {
                    case "dangling":
                        ok = i.dangling() == (v.equals("true") || v.equals("1"));
                        break;
                    case "label":
                        ok = Filters.labelMatches(v, i.config().labels());
                        break;
                    case "reference":
                        ok = tags(i).stream().anyMatch(t -> t.equals(v) || repository(t).equals(v) || t.equals(v + ":latest"));
                        break;
                    default:
                        throw ApiError.badRequest("invalid filter '" + f.getKey() + "'");
                }
                if (!ok) {
                    return false;
                }
            }
        }
        return true;
    }
}
