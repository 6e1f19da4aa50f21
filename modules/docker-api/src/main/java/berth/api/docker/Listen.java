package berth.api.docker;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;

/** Where the service listens: {@code unix:///path} or {@code tcp://HOST:PORT}. */
sealed interface Listen {
    String DEFAULT = "unix:///run/berth/berth.sock";

    record Unix(Path path) implements Listen {
    }

    record Tcp(String host, int port, boolean loopback) implements Listen {
    }

    static Listen parse(String uri) {
        String u = uri == null || uri.isEmpty() ? DEFAULT : uri;
        if (u.startsWith("unix://")) {
            String p = u.substring("unix://".length());
            if (!p.startsWith("/")) {
                throw new BerthException(ErrorCode.INVALID_ARGUMENT, "the socket path of " + u + " must be absolute (unix:///PATH)");
            }
            return new Unix(Path.of(p));
        }
        if (u.startsWith("tcp://")) {
            String hp = u.substring("tcp://".length()).replaceAll("/+$", "");
            int colon = hp.lastIndexOf(':');
            if (colon <= 0) {
                throw new BerthException(ErrorCode.INVALID_ARGUMENT, "the address " + u + " lacks a port (tcp://HOST:PORT)");
            }
            String host = hp.substring(0, colon).replaceAll("^\\[|\\]$", "");
            int port;
            try {
                port = Integer.parseInt(hp.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new BerthException(ErrorCode.INVALID_ARGUMENT, "invalid port in " + u);
            }
            try {
                boolean loopback = InetAddress.getByName(host).isLoopbackAddress();
                return new Tcp(host, port, loopback);
            } catch (UnknownHostException e) {
                throw new BerthException(ErrorCode.INVALID_ARGUMENT, "cannot resolve the host of " + u + ": " + e.getMessage());
            }
        }
        throw new BerthException(ErrorCode.INVALID_ARGUMENT, "unsupported address " + u + ": use unix:///PATH or tcp://HOST:PORT");
    }
}
