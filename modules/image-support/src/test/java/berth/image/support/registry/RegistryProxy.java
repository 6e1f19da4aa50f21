package berth.image.support.registry;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small HTTP/1.1 server in front of the real test registry (one request per connection), adding
 * what the plain registry lacks: Basic or Bearer authentication with its own token endpoint, and
 * broken or corrupted blob transfers. Everything else is forwarded as is; Location headers are
 * rewritten to the proxy. Plain sockets, so the test module needs no jdk.httpserver.
 */
final class RegistryProxy implements AutoCloseable {
    enum BlobFault { NONE, CUT_FIRST_TRANSFER, CUT_AND_IGNORE_RANGE, FLIP_A_BYTE }

    private static final Pattern REPO = Pattern.compile("^/v2/(.+)/(manifests|blobs|tags)/.*");
    private static final Set<String> HOP = Set.of("host", "connection", "content-length", "transfer-encoding", "expect", "upgrade",
            "keep-alive", "authorization", "date");

    private final String upstream;
    private final ServerSocket server;
    volatile String basicUser;
    volatile String basicPassword;
    volatile boolean bearer;
    volatile boolean useAccessTokenField;
    volatile BlobFault blobFault = BlobFault.NONE;
    final List<String> requests = new CopyOnWriteArrayList<>();
    final List<String> tokenRequests = new CopyOnWriteArrayList<>();
    final AtomicInteger cuts = new AtomicInteger();

    private record Request(String method, String target, Map<String, String> headers, byte[] body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        String path() {
            int q = target.indexOf('?');
            return q < 0 ? target : target.substring(0, q);
        }
    }

    RegistryProxy(String upstreamHost) throws IOException {
        this.upstream = upstreamHost;
        server = new ServerSocket();
        server.bind(new InetSocketAddress("127.0.0.1", 0));
        Thread acceptor = new Thread(this::acceptLoop, "registry-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    String host() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                Thread t = new Thread(() -> serve(s), "registry-proxy-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            s.setSoTimeout(30_000);
            Request req = read(new BufferedInputStream(s.getInputStream()));
            if (req == null) {
                return;
            }
            String range = req.header("Range");
            requests.add(req.method() + " " + req.path() + (range == null ? "" : " Range:" + range));
            OutputStream out = s.getOutputStream();
            if (req.path().equals("/token")) {
                token(req, out);
            } else if (authorized(req, out)) {
                forward(req, out);
            }
            out.flush();
        } catch (IOException | InterruptedException e) {
            // a cut transfer ends here on purpose
        }
    }

    private static Request read(InputStream in) throws IOException {
        String line = line(in);
        if (line == null || line.isEmpty()) {
            return null;
        }
        String[] parts = line.split(" ");
        if (parts.length != 3 || !parts[2].startsWith("HTTP/")) {
            return null; // not HTTP: the client's TLS attempt before it falls back to plain HTTP
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String h; (h = line(in)) != null && !h.isEmpty(); ) {
            int colon = h.indexOf(':');
            if (colon < 0) {
                return null;
            }
            headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
        }
        byte[] body = new byte[0];
        if (headers.containsKey("content-length")) {
            body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            for (int n; (n = Integer.parseInt(line(in).split(";")[0].trim(), 16)) > 0; ) {
                b.write(in.readNBytes(n));
                line(in);
            }
            line(in);
            body = b.toByteArray();
        }
        return new Request(parts[0], parts[1], headers, body);
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c; (c = in.read()) != -1; ) {
            if (c == '\n') {
                String s = b.toString(StandardCharsets.ISO_8859_1);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            b.write(c);
        }
        return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
    }

    private static void respond(OutputStream out, int status, Map<String, List<String>> headers, byte[] body, boolean head,
                                int send) throws IOException {
        StringBuilder sb = new StringBuilder("HTTP/1.1 ").append(status).append(" X\r\nConnection: close\r\n");
        headers.forEach((k, vs) -> vs.forEach(v -> sb.append(k).append(": ").append(v).append("\r\n")));
        sb.append("Content-Length: ").append(body.length).append("\r\n\r\n");
        out.write(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (!head) {
            out.write(body, 0, send);
        }
    }

    private static void json(OutputStream out, int status, String body, Map<String, String> extra) throws IOException {
        Map<String, List<String>> h = new LinkedHashMap<>();
        h.put("Content-Type", List.of("application/json"));
        extra.forEach((k, v) -> h.put(k, List.of(v)));
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        respond(out, status, h, b, false, b.length);
    }

    private void token(Request req, OutputStream out) throws IOException {
        String query = req.target().contains("?") ? req.target().substring(req.target().indexOf('?') + 1) : "";
        tokenRequests.add(query);
        if (basicUser != null && !basicOk(req)) {
            json(out, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"bad credentials\"}]}", Map.of());
            return;
        }
        String scope = "";
        for (String kv : query.split("&")) {
            if (kv.startsWith("scope=")) {
                scope = java.net.URLDecoder.decode(kv.substring(6), StandardCharsets.UTF_8);
            }
        }
        String token = Base64.getUrlEncoder().encodeToString(("tok:" + scope).getBytes(StandardCharsets.UTF_8));
        json(out, 200, "{\"" + (useAccessTokenField ? "access_token" : "token") + "\":\"" + token + "\",\"expires_in\":300}", Map.of());
    }

    private boolean authorized(Request req, OutputStream out) throws IOException {
        if (bearer) {
            Matcher m = REPO.matcher(req.path().replaceFirst("/blobs/uploads/.*", "/blobs/x"));
            String repo = m.matches() ? m.group(1) : null;
            boolean push = !req.method().equals("GET") && !req.method().equals("HEAD");
            String scope = repo == null ? null : "repository:" + repo + ":" + (push ? "pull,push" : "pull");
            String auth = req.header("Authorization");
            String granted = null;
            if (auth != null && auth.startsWith("Bearer ")) {
                granted = new String(Base64.getUrlDecoder().decode(auth.substring(7)), StandardCharsets.UTF_8).substring(4);
            }
            boolean ok = granted != null && (scope == null || granted.equals(scope)
                    || (!push && granted.equals("repository:" + repo + ":pull,push")));
            if (!ok) {
                json(out, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}",
                        Map.of("WWW-Authenticate", "Bearer realm=\"http://" + host() + "/token\",service=\"berth-test\""
                                + (scope == null ? "" : ",scope=\"" + scope + "\"")));
                return false;
            }
            return true;
        }
        if (basicUser != null && !basicOk(req)) {
            json(out, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}",
                    Map.of("WWW-Authenticate", "Basic realm=\"berth-test\""));
            return false;
        }
        return true;
    }

    private boolean basicOk(Request req) {
        String expected = "Basic " + Base64.getEncoder().encodeToString((basicUser + ":" + basicPassword).getBytes(StandardCharsets.UTF_8));
        return expected.equals(req.header("Authorization"));
    }

    private void forward(Request req, OutputStream out) throws IOException, InterruptedException {
        URI target = URI.create("http://" + upstream + req.target());
        HttpURLConnection c = (HttpURLConnection) target.toURL().openConnection();
        c.setInstanceFollowRedirects(false);
        c.setUseCaches(false);
        c.setRequestMethod(req.method());
        boolean blobGet = req.method().equals("GET") && req.path().contains("/blobs/sha256:");
        req.headers().forEach((k, v) -> {
            if (!HOP.contains(k) && !(blobGet && blobFault == BlobFault.CUT_AND_IGNORE_RANGE && k.equals("range"))) {
                c.setRequestProperty(k, v);
            }
        });
        if (req.body().length > 0 || req.method().equals("POST") || req.method().equals("PUT")) {
            c.setDoOutput(true);
            c.setFixedLengthStreamingMode(req.body().length);
            try (OutputStream up = c.getOutputStream()) {
                up.write(req.body());
            }
        }
        int status = c.getResponseCode();
        byte[] body;
        try (java.io.InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
            body = in == null ? new byte[0] : in.readAllBytes();
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        String contentLength = "0";
        for (int i = 1; c.getHeaderFieldKey(i) != null; i++) {
            String k = c.getHeaderFieldKey(i);
            String v = c.getHeaderField(i);
            if (k.equalsIgnoreCase("Content-Length")) {
                contentLength = v;
            }
            if (!HOP.contains(k.toLowerCase(Locale.ROOT))) {
                headers.computeIfAbsent(k, x -> new ArrayList<>()).add(k.equalsIgnoreCase("Location") ? v.replace(upstream, host()) : v);
            }
        }
        boolean head = req.method().equals("HEAD");
        if (head) {
            // keep the registry's Content-Length for HEAD
            String len = contentLength;
            headers.keySet().removeIf(k -> k.equalsIgnoreCase("Content-Length"));
            StringBuilder sb = new StringBuilder("HTTP/1.1 ").append(status).append(" X\r\nConnection: close\r\n");
            headers.forEach((k, vs) -> vs.forEach(v -> sb.append(k).append(": ").append(v).append("\r\n")));
            sb.append("Content-Length: ").append(len).append("\r\n\r\n");
            out.write(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
            return;
        }
        if (blobGet && status == 200 && body.length > 1000 && cuts.get() == 0
                && (blobFault == BlobFault.CUT_FIRST_TRANSFER || blobFault == BlobFault.CUT_AND_IGNORE_RANGE)) {
            cuts.incrementAndGet();
            respond(out, 200, headers, body, false, body.length / 2); // announces the whole, sends half, closes
            return;
        }
        if (blobGet && blobFault == BlobFault.FLIP_A_BYTE && body.length > 0) {
            body[body.length / 3] ^= 0x20;
        }
        respond(out, status, headers, body, false, body.length);
    }
}
