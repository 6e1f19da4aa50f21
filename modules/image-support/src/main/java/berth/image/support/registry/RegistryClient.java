package berth.image.support.registry;

import berth.kernel.trace.Trace;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * The HTTP side of the Docker Registry HTTP API v2 for one registry host: picks HTTPS or (when
 * allowed) plain HTTP by pinging {@code /v2/}, answers Basic and Bearer challenges, and follows
 * redirects itself so credentials never travel to another host (blob storage behind a redirect).
 * Safe for concurrent use.
 */
public final class RegistryClient {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration PING_TIMEOUT = Duration.ofSeconds(30);
    private static final int MAX_REDIRECTS = 10;

    private final String registry;
    private final String apiHost;
    private final RegistryOptions options;
    private final HttpTransport http;
    private final RegistryAuth auth;
    private volatile URI base;

    /** {@code registry} is host[:port] as in references ({@code docker.io}, {@code 127.0.0.1:5000}). */
    public RegistryClient(String registry, RegistryOptions options) throws IOException {
        this(registry, null, options);
    }

    /**
     * A client whose credentials come from the auth file entry for {@code repository} when there is
     * one ({@code quay.io/team/app} before {@code quay.io}); null for the host's entry.
     */
    public RegistryClient(String registry, String repository, RegistryOptions options) throws IOException {
        this.registry = registry;
        // docker.io is a name; its API lives on registry-1.docker.io
        this.apiHost = registry.equals("docker.io") ? "registry-1.docker.io" : registry;
        this.options = options;
        this.http = new HttpTransport(options.insecure(), CONNECT_TIMEOUT);
        this.auth = new RegistryAuth(this, credentials(registry, repository, options));
    }

    private static Optional<Credentials> credentials(String registry, String repository, RegistryOptions options) throws IOException {
        if (options.credentials() != null && !options.credentials().isEmpty()) {
            try {
                return Optional.of(Credentials.parse(options.credentials()));
            } catch (IllegalArgumentException e) {
                throw new IOException(e.getMessage(), e);
            }
        }
        return AuthFile.lookup(options.authFile(), registry, repository);
    }

    public String registry() {
        return registry;
    }

    /** Plain HTTP may be tried when HTTPS fails: insecure settings, or a registry on this machine. */
    boolean httpAllowed() {
        String host = apiHost.startsWith("[") ? apiHost.substring(0, apiHost.indexOf(']') + 1) : apiHost.split(":")[0];
        return options.insecure() || host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]");
    }

    /** {@code https://host} or {@code http://host}, found by pinging once. */
    public URI base() throws IOException {
        URI b = base;
        if (b == null) {
            synchronized (this) {
                if (base == null) {
                    base = ping();
                }
                b = base;
            }
        }
        return b;
    }

    private URI ping() throws IOException {
        URI https = URI.create("https://" + apiHost);
        URI plain = URI.create("http://" + apiHost);
        IOException plainFailure = null;
        if (loopbackWithPort()) {
            // one port speaks TLS or plain HTTP, not both: a registry on this machine that answers in
            // plain HTTP would refuse the TLS handshake, whose set-up costs the CLI's JVM ~200 ms of CPU
            try {
                pingAt(plain);
                Trace.mark("registry: pinged " + plain + " (loopback)");
                return plain;
            } catch (IOException e) {
                plainFailure = e;
            }
        }
        IOException httpsFailure;
        try {
            pingAt(https);
            Trace.mark("registry: pinged " + https);
            return https;
        } catch (IOException e) {
            httpsFailure = e;
            Trace.mark("registry: no answer over HTTPS");
        }
        if (httpAllowed()) {
            try {
                if (plainFailure == null) {
                    pingAt(plain);
                    Trace.mark("registry: pinged " + plain);
                    return plain;
                }
            } catch (IOException e) {
                plainFailure = e;
            }
            throw new IOException("pinging container registry " + registry + ": " + why(https, httpsFailure)
                    + "; " + why(plain, plainFailure), plainFailure);
        }
        throw new IOException("pinging container registry " + registry + ": " + why(https, httpsFailure), httpsFailure);
    }

    /**
     * A registry on this machine at an explicit port ({@code 127.0.0.1:5000}), where both schemes
     * reach one server, and no {@code --tls-verify=true} asking for TLS first.
     */
    boolean loopbackWithPort() {
        if (Boolean.TRUE.equals(options.tlsVerify())) {
            return false;
        }
        String host = apiHost.startsWith("[") ? apiHost.substring(0, apiHost.indexOf(']') + 1) : apiHost.split(":")[0];
        boolean loopback = host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]");
        return loopback && apiHost.length() > host.length() + 1 && apiHost.charAt(host.length()) == ':';
    }

    private void pingAt(URI root) throws IOException {
        try (RegistryResponse r = http.exchange("GET", root.resolve("/v2/"), Map.of(), null, PING_TIMEOUT)) {
            r.body().readAllBytes();
            if (r.statusCode() == 401) {
                auth.remember(AuthChallenge.parse(r.header("WWW-Authenticate").orElse(null)));
            } else if (r.statusCode() != 200) {
                throw new IOException("GET " + root.resolve("/v2/") + ": unexpected status " + r.statusCode());
            }
        }
    }

    private static String why(URI root, IOException e) {
        String cause;
        if (e instanceof ConnectException) {
            cause = "connection refused";
        } else if (e instanceof SocketTimeoutException) {
            cause = "connection timed out";
        } else if (e instanceof SSLException) {
            cause = "TLS: " + e.getMessage();
        } else {
            cause = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
        return "Get \"" + root.resolve("/v2/") + "\": " + cause;
    }

    /**
     * Sends a request for {@code path} (absolute path, or a full URL a registry returned) with
     * credentials for {@code scope} ({@code repository:NAME:pull}); a 401 is answered once (a
     * {@link RequestBody.Streamed} body cannot be sent twice: send it once authorization is
     * settled). Redirects are followed. The caller closes the response.
     */
    public RegistryResponse send(String method, String path, Map<String, String> headers, RequestBody body, String scope)
            throws IOException {
        URI uri = base().resolve(path);
        for (int attempt = 0; ; attempt++) {
            String authorization = auth.header(scope, attempt > 0);
            RegistryResponse r = followRedirects(method, uri, headers, body, authorization);
            if (r.statusCode() != 401 || attempt > 0) {
                return r;
            }
            AuthChallenge challenge = AuthChallenge.parse(r.header("WWW-Authenticate").orElse(null));
            r.close();
            if (challenge == null) {
                throw new RegistryException(method + " " + uri + ": unauthorized, and no WWW-Authenticate challenge", 401, "UNAUTHORIZED");
            }
            auth.remember(challenge);
        }
    }

    private RegistryResponse followRedirects(String method, URI origin, Map<String, String> headers, RequestBody body,
                                             String authorization) throws IOException {
        URI uri = origin;
        String m = method;
        RequestBody b = body;
        for (int hops = 0; ; hops++) {
            Map<String, String> h = new HashMap<>(headers);
            // credentials stay with the registry: storage behind a redirect gets a signed URL instead
            if (authorization != null && sameOrigin(origin, uri)) {
                h.put("Authorization", authorization);
            }
            RegistryResponse r = http.exchange(m, uri, h, b, null);
            int s = r.statusCode();
            if ((s != 301 && s != 302 && s != 303 && s != 307 && s != 308) || r.header("Location").isEmpty()) {
                return r;
            }
            r.close();
            if (hops >= MAX_REDIRECTS) {
                throw new IOException(method + " " + origin + ": too many redirects");
            }
            uri = uri.resolve(r.header("Location").get());
            boolean keepMethod = s == 307 || s == 308 || m.equals("HEAD");
            if (!keepMethod) {
                m = "GET";
                b = null;
            } else if (b instanceof RequestBody.Streamed) {
                throw new IOException(method + " " + origin + ": redirected (" + s + "), and a streamed body cannot be sent again");
            }
        }
    }

    private static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equals(b.getScheme()) && String.valueOf(a.getAuthority()).equals(String.valueOf(b.getAuthority()));
    }

    /** A request outside the registry's API (a token service): no credentials added, no redirects followed. */
    RegistryResponse exchange(String method, URI uri, Map<String, String> headers, Duration readTimeout) throws IOException {
        return http.exchange(method, uri, headers, null, readTimeout);
    }

    /** The registry's error for a failed response, as containers/image words it; reads and closes the body. */
    public static RegistryException error(RegistryResponse r, String context) {
        byte[] body;
        try (InputStream in = r.body()) {
            body = in == null ? new byte[0] : in.readNBytes(64 * 1024);
        } catch (IOException e) {
            body = new byte[0];
        }
        String code = "";
        String detail = "";
        try {
            var doc = berth.kernel.json.Json.parseObject(body);
            var errors = doc.objects("errors");
            if (!errors.isEmpty()) {
                code = errors.get(0).str("code", "");
                String message = errors.get(0).str("message", "");
                String codeText = code.toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
                detail = message.isEmpty() || message.equalsIgnoreCase(codeText) ? codeText : codeText + ": " + message;
            }
        } catch (IOException | RuntimeException e) {
            String text = new String(body, StandardCharsets.UTF_8).trim();
            detail = text.length() > 200 ? text.substring(0, 200) : text;
        }
        if (detail.isEmpty()) {
            detail = switch (r.statusCode()) {
                case 401 -> "unauthorized: authentication required";
                case 403 -> "denied: requested access to the resource is denied";
                case 404 -> "not found";
                default -> "unexpected status " + r.statusCode();
            };
        }
        return new RegistryException(context + ": " + detail, r.statusCode(), code);
    }

    /** The scope of a repository for the token service: {@code repository:NAME:pull} or {@code :pull,push}. */
    public static String scope(String repository, boolean push) {
        return "repository:" + repository + ":" + (push ? "pull,push" : "pull");
    }
}
