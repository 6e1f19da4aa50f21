package berth.network.cni;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;

/** An IPv4 network in CIDR form, with the little address arithmetic the backend needs. */
record Ipv4Subnet(int network, int prefix) {

    Ipv4Subnet {
        if (prefix < 0 || prefix > 32) {
            throw new IllegalArgumentException("prefix " + prefix);
        }
        network = network & mask(prefix);
    }

    /** Parses {@code a.b.c.d/p}; host bits are cleared ({@code 10.89.0.5/24} is {@code 10.89.0.0/24}). */
    static Ipv4Subnet parse(String cidr) {
        if (cidr == null) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "missing subnet");
        }
        String s = cidr.trim();
        int slash = s.indexOf('/');
        if (slash < 0) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT,
                    "invalid subnet \"" + cidr + "\": expected CIDR notation such as 10.89.1.0/24");
        }
        if (s.indexOf(':') >= 0) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT,
                    "invalid subnet \"" + cidr + "\": only IPv4 subnets are supported by the cni backend");
        }
        int p;
        try {
            p = Integer.parseInt(s.substring(slash + 1));
        } catch (NumberFormatException e) {
            p = -1;
        }
        if (p < 8 || p > 30) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT,
                    "invalid subnet \"" + cidr + "\": the prefix length must be between 8 and 30");
        }
        return new Ipv4Subnet(parseAddress(s.substring(0, slash), cidr), p);
    }

    static int parseAddress(String dotted, String context) {
        String[] parts = dotted.trim().split("\\.", -1);
        if (parts.length != 4) {
            throw badAddress(dotted, context);
        }
        int v = 0;
        for (String part : parts) {
            int b;
            try {
                b = part.isEmpty() || part.length() > 3 ? -1 : Integer.parseInt(part);
            } catch (NumberFormatException e) {
                b = -1;
            }
            if (b < 0 || b > 255) {
                throw badAddress(dotted, context);
            }
            v = (v << 8) | b;
        }
        return v;
    }

    private static BerthException badAddress(String dotted, String context) {
        return new BerthException(ErrorCode.INVALID_ARGUMENT,
                "invalid IPv4 address \"" + dotted + "\"" + (context.equals(dotted) ? "" : " in \"" + context + "\""));
    }

    static String format(int addr) {
        return ((addr >>> 24) & 255) + "." + ((addr >>> 16) & 255) + "." + ((addr >>> 8) & 255) + "." + (addr & 255);
    }

    static int mask(int prefix) {
        return prefix == 0 ? 0 : -1 << (32 - prefix);
    }

    int mask() {
        return mask(prefix);
    }

    int broadcast() {
        return network | ~mask();
    }

    boolean contains(int addr) {
        return (addr & mask()) == network;
    }

    boolean overlaps(Ipv4Subnet other) {
        int m = mask(Math.min(prefix, other.prefix));
        return (network & m) == (other.network & m);
    }

    /** True for an address that may be given to a host: inside, not the network nor the broadcast address. */
    boolean isUsableHost(int addr) {
        return contains(addr) && addr != network && addr != broadcast();
    }

    int firstHost() {
        return network + 1;
    }

    @Override
    public String toString() {
        return format(network) + "/" + prefix;
    }
}
