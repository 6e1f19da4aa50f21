package berth.network.slirp4netns;

import berth.kernel.json.Json;
import berth.kernel.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Client of the slirp4netns API socket (SOCK_STREAM): one JSON request per connection, written in one
 * piece (slirp4netns reads it with a single read), then the JSON answer up to end of stream.
 */
final class SlirpApi {
    private SlirpApi() {
    }

    static JsonObject call(Path socket, Map<String, Object> request, long timeoutMillis) throws IOException {
        byte[] req = Json.writeBytes(request);
        if (req.length >= 4096) {
            throw new IOException("slirp4netns API request too large (" + req.length + " bytes)");
        }
        long deadline = System.currentTimeMillis() + timeoutMillis;
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ByteBuffer out = ByteBuffer.wrap(req);
            while (out.hasRemaining()) {
                ch.write(out);
            }
            ch.shutdownOutput();
            ch.configureBlocking(false);
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            ByteBuffer buf = ByteBuffer.allocate(8192);
            try (Selector sel = Selector.open()) {
                ch.register(sel, SelectionKey.OP_READ);
                while (true) {
                    long left = deadline - System.currentTimeMillis();
                    if (left <= 0) {
                        throw new IOException("no answer from the slirp4netns API socket " + socket + " within "
                                + timeoutMillis + " ms");
                    }
                    sel.select(left);
                    sel.selectedKeys().clear();
                    buf.clear();
                    int n = ch.read(buf);
                    if (n < 0) {
                        break;
                    }
                    answer.write(buf.array(), 0, n);
                }
            }
            String text = answer.toString(java.nio.charset.StandardCharsets.UTF_8).trim();
            if (text.isEmpty()) {
                throw new IOException("empty answer from the slirp4netns API socket " + socket);
            }
            return Json.parseObject(text);
        }
    }

    static Map<String, Object> addHostfwd(String proto, String hostAddr, int hostPort, String guestAddr, int guestPort) {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("proto", proto);
        args.put("host_addr", hostAddr);
        args.put("host_port", hostPort);
        args.put("guest_addr", guestAddr);
        args.put("guest_port", guestPort);
        Map<String, Object> req = new LinkedHashMap<>();
        req.put("execute", "add_hostfwd");
        req.put("arguments", args);
        return req;
    }

    static Map<String, Object> listHostfwd() {
        return Map.of("execute", "list_hostfwd");
    }
}
