package berth.support;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.model.PortMapping;
import java.io.IOException;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * A host port checked free before a network backend publishes it, so that a port in use fails with a
 * message naming it rather than with the backend's own words, and before anything was set up.
 */
public final class HostPorts {
    private HostPorts() {
    }

    /** The host address a mapping binds: its own, else every address. */
    public static String hostAddress(PortMapping p) {
        return p.hostIp().isEmpty() ? "0.0.0.0" : p.hostIp();
    }

    /** {@code ADDRESS:PORT/PROTOCOL} of the host side. */
    public static String describe(PortMapping p) {
        return hostAddress(p) + ":" + p.hostPort() + "/" + p.protocol();
    }

    /**
     * Binds the host port briefly; fails with NETWORK_ERROR naming the port when something on the host
     * already holds it, or when the address is not one of this host's.
     */
    public static void requireFree(PortMapping p) {
        try {
            InetSocketAddress sa = new InetSocketAddress(InetAddress.getByName(hostAddress(p)), p.hostPort());
            if (p.protocol().equals("udp")) {
                try (DatagramSocket s = new DatagramSocket(null)) {
                    s.setReuseAddress(false);
                    s.bind(sa);
                }
            } else {
                try (ServerSocket s = new ServerSocket()) {
                    // SO_REUSEADDR only forgives TIME_WAIT leftovers; a listening socket still makes bind fail
                    s.setReuseAddress(true);
                    s.bind(sa, 1);
                }
            }
        } catch (BindException e) {
            String m = String.valueOf(e.getMessage());
            if (m.contains("assign requested address")) {
                throw new BerthException(ErrorCode.NETWORK_ERROR, "cannot publish " + p + ": " + hostAddress(p)
                        + " is not an address of this host (" + m + ")");
            }
            throw new BerthException(ErrorCode.NETWORK_ERROR, "cannot publish " + p + ": host port " + describe(p)
                    + " is already in use (" + m + ")");
        } catch (IOException e) {
            throw new BerthException(ErrorCode.NETWORK_ERROR, "cannot publish " + p + ": cannot bind host port "
                    + describe(p) + ": " + e.getMessage());
        }
    }
}
