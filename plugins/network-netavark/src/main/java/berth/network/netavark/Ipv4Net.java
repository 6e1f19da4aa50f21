package berth.network.netavark;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;

/**
 * An IPv4 network in CIDR form, its address normalized to the network address (Go's
 * {@code net.ParseCIDR} does the same, and podman keys its IPAM buckets by that form).
 */
record Ipv4Net(int address, int prefix) {
    Ipv4Net {
        if (prefix < 0 || prefix > 32) {
            throw new IllegalArgumentException("prefix " + prefix);
        }
        address &= mask(prefix);
    }

    /** Parses {@code A.B.C.D/N}; {@code what} names the input in the error. */
    static Ipv4Net parse(String cidr, String what) {
        String s = cidr == null ? "" : cidr.trim();
        int slash = s.indexOf('/');
        if (slash < 0) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, what + " \"" + cidr + "\" is not an IPv4 network in CIDR form (A.B.C.D/N)");
        }
        int prefix;
        try {
            String p = s.substring(slash + 1);
            if (p.isEmpty() || p.length() > 2 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new NumberFormatException(p);
            }
            prefix = Integer.parseInt(p);
        } catch (NumberFormatException e) {
            prefix = -1;
        }
        if (prefix < 0 || prefix > 32) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, what + " \"" + cidr + "\" has no valid prefix length (0-32)");
        }
        return new Ipv4Net(parseAddress(s.substring(0, slash), what), prefix);
    }

    /** Parses a dotted IPv4 address; {@code what} names the input in the error. */
    static int parseAddress(String dotted, String what) {
        String[] o = dotted == null ? new String[0] : dotted.trim().split("\\.", -1);
        if (o.length != 4) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, what + " \"" + dotted + "\" is not an IPv4 address");
        }
        int a = 0;
        for (String part : o) {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new BerthException(ErrorCode.INVALID_ARGUMENT, what + " \"" + dotted + "\" is not an IPv4 address");
            }
            int v = Integer.parseInt(part);
            if (v > 255) {
                throw new BerthException(ErrorCode.INVALID_ARGUMENT, what + " \"" + dotted + "\" is not an IPv4 address");
            }
            a = (a << 8) | v;
        }
        return a;
    }

    static boolean isIpv4(String text) {
        try {
            parseAddress(text, "");
            return true;
        } catch (BerthException e) {
            return false;
        }
    }

    static String dotted(int a) {
        return ((a >>> 24) & 255) + "." + ((a >>> 16) & 255) + "." + ((a >>> 8) & 255) + "." + (a & 255);
    }

    static byte[] bytes(int a) {
        return new byte[] {(byte) (a >>> 24), (byte) (a >>> 16), (byte) (a >>> 8), (byte) a};
    }

    static int fromBytes(byte[] b) {
        return ((b[0] & 255) << 24) | ((b[1] & 255) << 16) | ((b[2] & 255) << 8) | (b[3] & 255);
    }

    private static int mask(int prefix) {
        return prefix == 0 ? 0 : -1 << (32 - prefix);
    }

    boolean contains(int a) {
        return (a & mask(prefix)) == address;
    }

    boolean overlaps(Ipv4Net o) {
        int p = Math.min(prefix, o.prefix);
        return (address & mask(p)) == (o.address & mask(p));
    }

    /** The last address (IPv4's broadcast). */
    int last() {
        return address | ~mask(prefix);
    }

    /** An address a container may have: not the network's nor the broadcast address. */
    boolean isUsableHost(int a) {
        return contains(a) && (prefix >= 31 || (a != address && a != last()));
    }

    @Override
    public String toString() {
        return dotted(address) + "/" + prefix;
    }
}
