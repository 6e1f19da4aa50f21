package berth.network.netavark;

import java.util.ArrayList;
import java.util.List;

/** The host's IPv4 routes with a prefix, which new networks must not overlap (read by berth.support.HostRoutes). */
final class HostRoutes {
    private HostRoutes() {
    }

    static List<Ipv4Net> ipv4() {
        List<Ipv4Net> out = new ArrayList<>();
        for (berth.support.HostRoutes.Route r : berth.support.HostRoutes.ipv4()) {
            out.add(new Ipv4Net(r.destination(), r.prefix()));
        }
        return out;
    }
}
