package berth.api.docker;

import java.io.InputStream;
import java.io.OutputStream;
import org.eclipse.jetty.server.HttpStream;

/**
 * Docker's hijack: the client asks {@code Upgrade: tcp}; the answer is {@code 101 UPGRADED} and the
 * connection then carries raw streams. A client that asked no upgrade (docker-java without stdin) gets
 * the output as an ordinary streamed 200 body.
 */
final class Hijack {
    private Hijack() {
    }

    static void begin(Exchange x, Activity activity, RawConnection.Session session) throws Exception {
        boolean upgrade = x.header("Upgrade") != null;
        if (!upgrade) {
            // no hijack asked: the output as an ordinary streamed body, and no input
            OutputStream out = x.stream(200, "application/vnd.docker.raw-stream");
            out.flush();
            session.run(InputStream.nullInputStream(), out);
            out.close();
            return;
        }
        RawConnection raw = new RawConnection(x.request.getConnectionMetaData().getConnection().getEndPoint(), session, activity);
        x.request.setAttribute(HttpStream.UPGRADE_CONNECTION_ATTRIBUTE, raw);
        x.response.getHeaders().put("Content-Type", "application/vnd.docker.raw-stream");
        x.response.getHeaders().put("Connection", "Upgrade");
        x.response.getHeaders().put("Upgrade", "tcp");
        x.response.setStatus(101);
        x.handedOver();
        // as Jetty's own WebSocket upgrade: complete without a body; the 101 goes out, then the upgrade
        x.callback.succeeded();
    }
}
