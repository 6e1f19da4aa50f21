package berth.engine.internal;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.model.PortMapping;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code -P/--publish-all}: each port the image exposes, and each {@code --expose}d one, published
 * to a free host port, as podman does (it asks the kernel for one, as here, by binding port 0); a
 * port the user published with {@code -p} keeps the user's mapping.
 */
final class PublishAll {
    private PublishAll() {
    }

    /** The mappings {@code -P} adds to {@code published}: one per exposed port that none of them maps. */
    static List<PortMapping> ports(List<String> imageExposed, List<String> expose, List<PortMapping> published) {
        Set<String> wanted = new LinkedHashSet<>();
        for (String e : imageExposed) {
            wanted.addAll(expand(e, "image port"));
        }
        for (String e : expose) {
            wanted.addAll(expand(e, "--expose"));
        }
        Set<String> taken = new LinkedHashSet<>();
        for (PortMapping p : published) {
            taken.add(p.containerPort() + "/" + p.protocol());
        }
        Set<String> hostPorts = new LinkedHashSet<>();
        for (PortMapping p : published) {
            hostPorts.add(p.hostPort() + "/" + p.protocol());
        }
        List<PortMapping> out = new ArrayList<>();
        for (String w : wanted) {
            if (taken.contains(w)) {
                continue;
            }
            int slash = w.indexOf('/');
            int port = Integer.parseInt(w.substring(0, slash));
            String proto = w.substring(slash + 1);
            int host = freeHostPort(proto);
            for (int tries = 0; !hostPorts.add(host + "/" + proto) && tries < 100; tries++) {
                host = freeHostPort(proto); // the kernel may hand the same free port out twice in a row
            }
            out.add(new PortMapping("", host, port, proto));
        }
        return out;
    }

    /** {@code 80}, {@code 80/udp} or a range {@code 8000-8002/tcp}, as {@code PORT/PROTO} items. */
    static List<String> expand(String spec, String what) {
        String s = spec.trim();
        String proto = "tcp";
        int slash = s.indexOf('/');
        if (slash >= 0) {
            proto = s.substring(slash + 1).toLowerCase(java.util.Locale.ROOT);
            s = s.substring(0, slash);
        }
        if (!proto.equals("tcp") && !proto.equals("udp")) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "invalid " + what + " \"" + spec + "\": protocol must be tcp or udp");
        }
        int dash = s.indexOf('-');
        int first;
        int last;
        try {
            first = port(dash < 0 ? s : s.substring(0, dash));
            last = dash < 0 ? first : port(s.substring(dash + 1));
        } catch (NumberFormatException e) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "invalid " + what + " \"" + spec + "\": expected PORT[-END][/tcp|udp]");
        }
        if (last < first) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "invalid " + what + " \"" + spec + "\": the range ends before it starts");
        }
        List<String> out = new ArrayList<>();
        for (int p = first; p <= last; p++) {
            out.add(p + "/" + proto);
        }
        return out;
    }

    private static int port(String s) {
        if (s.isEmpty() || s.length() > 5 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new NumberFormatException(s);
        }
        int p = Integer.parseInt(s);
        if (p < 1 || p > 65535) {
            throw new NumberFormatException(s);
        }
        return p;
    }

    /** A port no socket of this protocol holds now (the kernel's pick for port 0). */
    private static int freeHostPort(String proto) {
        try {
            if (proto.equals("udp")) {
                try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(0))) {
                    return s.getLocalPort();
                }
            }
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress(0));
                return s.getLocalPort();
            }
        } catch (IOException e) {
            throw new BerthException(ErrorCode.INTERNAL, "cannot find a free host port for -P: " + e.getMessage(), e);
        }
    }
}
