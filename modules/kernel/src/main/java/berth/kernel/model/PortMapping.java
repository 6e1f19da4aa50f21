package berth.kernel.model;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;

/** A published port, {@code -p [ip:]hostPort:containerPort[/tcp|udp]}. */
public record PortMapping(String hostIp, int hostPort, int containerPort, String protocol) {
    public PortMapping {
        if (hostIp == null) {
            hostIp = "";
        }
        if (protocol == null || protocol.isEmpty()) {
            protocol = "tcp";
        }
        if (!protocol.equals("tcp") && !protocol.equals("udp")) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "invalid port protocol \"" + protocol + "\": must be tcp or udp");
        }
        checkPort(hostPort, "host");
        checkPort(containerPort, "container");
    }

    private static void checkPort(int p, String what) {
        if (p < 1 || p > 65535) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, what + " port " + p + " out of range 1-65535");
        }
    }

    public static PortMapping parse(String spec) {
        String s = spec;
        String proto = "tcp";
        int slash = s.lastIndexOf('/');
        if (slash >= 0) {
            proto = s.substring(slash + 1);
            s = s.substring(0, slash);
        }
        String[] parts = s.split(":", -1); // -1: "80:" is an error, not "80"
        try {
            if (parts.length == 1) {
                int p = port(parts[0]);
                return new PortMapping("", p, p, proto);
            } else if (parts.length == 2) {
                return new PortMapping("", port(parts[0]), port(parts[1]), proto);
            } else if (parts.length == 3) {
                return new PortMapping(parts[0], port(parts[1]), port(parts[2]), proto);
            }
        } catch (NumberFormatException e) {
            // fall through to the error below
        } catch (BerthException e) {
            throw new BerthException(e.code(), "invalid port mapping \"" + spec + "\": " + e.getMessage().replaceFirst(": " + java.util.regex.Pattern.quote(e.code().text()) + "$", ""));
        }
        throw new BerthException(ErrorCode.INVALID_ARGUMENT, "invalid port mapping \"" + spec + "\": expected [ip:]hostPort:containerPort[/tcp|udp]");
    }

    /** ASCII digits only: Integer.parseInt takes "+80" and other scripts' digits ("٨٠") too. */
    private static int port(String s) {
        if (s.isEmpty() || s.length() > 5 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new NumberFormatException(s);
        }
        return Integer.parseInt(s);
    }

    @Override
    public String toString() {
        return (hostIp.isEmpty() ? "0.0.0.0" : hostIp) + ":" + hostPort + "->" + containerPort + "/" + protocol;
    }
}
