package berth.network.slirp4netns;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One container's slirp4netns options: the environment's defaults ({@code network_cmd_options},
 * {@code k=v,k=v}) overridden by the container's ({@code --network slirp4netns:OPT=V,...}), every key
 * and value checked, and the addresses they imply.
 */
record SlirpOptions(boolean allowHostLoopback, int mtu, int network, int prefix, boolean ipv6, String outboundAddr,
        String outboundAddr6, boolean sandbox, boolean seccomp) {
    static final Set<String> KEYS = Set.of("port_handler", "allow_host_loopback", "mtu", "cidr", "enable_ipv6",
            "outbound_addr", "outbound_addr6", "enable_sandbox", "enable_seccomp");

    String cidr() {
        return format(network) + "/" + prefix;
    }

    String guest() {
        return format(network + 100);
    }

    String gateway() {
        return format(network + 2);
    }

    String dns() {
        return format(network + 3);
    }

    /** {@code defaults} ({@code network_cmd_options}) overridden by the container's options; every key and value checked. */
    static SlirpOptions parse(String defaults, Map<String, String> containerOptions) {
        Map<String, String> o = new LinkedHashMap<>();
        for (String kv : defaults.split(",")) {
            if (kv.isBlank()) {
                continue;
            }
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new BerthException(ErrorCode.CONFIG_INVALID, "network_cmd_options entry \"" + kv + "\" is not KEY=VALUE");
            }
            o.put(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
        }
        o.putAll(containerOptions);
        for (String k : o.keySet()) {
            if (!KEYS.contains(k)) {
                throw new BerthException(ErrorCode.INVALID_ARGUMENT, "unknown slirp4netns option \"" + k + "\" (known: "
                        + String.join(", ", new java.util.TreeSet<>(KEYS)) + ")");
            }
        }
        String handler = o.getOrDefault("port_handler", "slirp4netns");
        if (handler.equals("rootlesskit")) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "slirp4netns option port_handler=rootlesskit is not supported:"
                    + " berth publishes ports through the slirp4netns API; use port_handler=slirp4netns");
        }
        if (!handler.equals("slirp4netns")) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "invalid slirp4netns option port_handler=" + handler
                    + ": the only supported port handler is slirp4netns");
        }
        int mtu;
        try {
            mtu = Integer.parseInt(o.getOrDefault("mtu", "65520"));
        } catch (NumberFormatException e) {
            mtu = -1;
        }
        if (mtu < 68 || mtu > 65521) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "invalid slirp4netns option mtu=" + o.get("mtu")
                    + ": must be a number from 68 to 65521");
        }
        String cidr = o.getOrDefault("cidr", "10.0.2.0/24");
        int[] net = parseCidr(cidr);
        return new SlirpOptions(bool(o, "allow_host_loopback", true), mtu, net[0], net[1], bool(o, "enable_ipv6", false),
                outbound(o.get("outbound_addr"), false), outbound(o.get("outbound_addr6"), true),
                bool(o, "enable_sandbox", false), bool(o, "enable_seccomp", true));
    }

    private static boolean bool(Map<String, String> o, String key, boolean dflt) {
        String v = o.get(key);
        if (v == null) {
            return dflt;
        }
        if (v.equalsIgnoreCase("true")) {
            return true;
        }
        if (v.equalsIgnoreCase("false")) {
            return false;
        }
        throw new BerthException(ErrorCode.INVALID_ARGUMENT, "invalid slirp4netns option " + key + "=" + v + ": must be true or false");
    }

    /** An outbound address given as an address or as an interface name, resolved to an address of the right family. */
    private static String outbound(String v, boolean ipv6) {
        if (v == null || v.isBlank()) {
            return null;
        }
        String key = ipv6 ? "outbound_addr6" : "outbound_addr";
        try {
            NetworkInterface nif = NetworkInterface.getByName(v);
            if (nif != null) {
                for (InetAddress a : Collections.list(nif.getInetAddresses())) {
                    if (ipv6 ? a instanceof Inet6Address && !a.isLinkLocalAddress() : a instanceof Inet4Address) {
                        return a.getHostAddress().replaceAll("%.*$", "");
                    }
                }
                throw new BerthException(ErrorCode.INVALID_ARGUMENT, "slirp4netns option " + key + "=" + v
                        + ": interface " + v + " has no " + (ipv6 ? "IPv6" : "IPv4") + " address");
            }
        } catch (SocketException e) {
            // not an interface; try an address
        }
        boolean literal = ipv6 ? v.contains(":") : v.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        if (!literal) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "invalid slirp4netns option " + key + "=" + v
                    + ": not an " + (ipv6 ? "IPv6" : "IPv4") + " address nor an interface name");
        }
        try {
            return InetAddress.getByName(v).getHostAddress();
        } catch (IOException e) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "invalid slirp4netns option " + key + "=" + v);
        }
    }

    static int[] parseCidr(String cidr) {
        String[] parts = cidr.split("/");
        BerthException bad = new BerthException(ErrorCode.INVALID_ARGUMENT, "invalid slirp4netns option cidr=" + cidr
                + ": expected an IPv4 network with a prefix length from 8 to 25, such as 10.0.2.0/24");
        if (parts.length != 2) {
            throw bad;
        }
        String[] octets = parts[0].split("\\.", -1);
        if (octets.length != 4) {
            throw bad;
        }
        int addr = 0;
        int prefix;
        try {
            for (String s : octets) {
                int b = Integer.parseInt(s);
                if (b < 0 || b > 255 || s.isEmpty() || s.length() > 3) {
                    throw bad;
                }
                addr = (addr << 8) | b;
            }
            prefix = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw bad;
        }
        if (prefix < 8 || prefix > 25) {
            throw bad;
        }
        int mask = -1 << (32 - prefix);
        return new int[] {addr & mask, prefix};
    }

    static String format(int addr) {
        return ((addr >>> 24) & 255) + "." + ((addr >>> 16) & 255) + "." + ((addr >>> 8) & 255) + "." + (addr & 255);
    }
}
