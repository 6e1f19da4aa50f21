package berth.image.support.registry;

import berth.kernel.trace.Trace;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
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
    private final HttpClient http;
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
        HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(CONNECT_TIMEOUT);
        if (options.insecure()) {
            b.sslContext(InsecureTls.context());
        }
        this.http = b.build();
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
            URI plain = URI.create("http://" + apiHost);
            try {
                pingAt(plain);
                Trace.mark("registry: pinged " + plain);
                return plain;
            } catch (IOException e) {
                throw new IOException("pinging container registry " + registry + ": " + why(https, httpsFailure)
                        + "; " + why(plain, e), e);
            }
        }
        throw new IOException("pinging container registry " + registry + ": " + why(https, httpsFailure), httpsFailure);
    }

    private void pingAt(URI root) throws IOException {
        HttpRequest req = HttpRequest.newBuilder(root.resolve("/v2/")).timeout(PING_TIMEOUT).GET().build();
        HttpResponse<byte[]> r = exchange(req, HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() == 401) {
            auth.remember(AuthChallenge.parse(r.headers().firstValue("WWW-Authenticate").orElse(null)));
        } else if (r.statusCode() != 200) {
            throw new IOException("GET " + root.resolve("/v2/") + ": unexpected status " + r.statusCode());
        }
    }

    private static String why(URI root, IOException e) {
        String cause;
        if (e instanceof ConnectException) {
            cause = "connection refused";
        } else if (e instanceof HttpConnectTimeoutException) {
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
     * credentials for {@code scope} ({@code repository:NAME:pull}); a 401 is answered once. The
     * body supplier is called again for a retry. Redirects are followed. The caller closes the body.
     */
    public HttpResponse<InputStream> send(String method, String path, Map<String, String> headers,
                                          Supplier<HttpRequest.BodyPublisher> body, String scope) throws IOException {
        URI uri = base().resolve(path);
        for (int attempt = 0; ; attempt++) {
            HttpRequest.Builder rb = HttpRequest.newBuilder(uri).method(method, body == null ? HttpRequest.BodyPublishers.noBody() : body.get());
            headers.forEach(rb::header);
            String authorization = auth.header(scope, attempt > 0);
            HttpResponse<InputStream> r = followRedirects(rb, authorization, method);
            if (r.statusCode() != 401 || attempt > 0) {
                return r;
            }
            AuthChallenge challenge = AuthChallenge.parse(r.headers().firstValue("WWW-Authenticate").orElse(null));
            r.body().close();
            if (challenge == null) {
                throw new RegistryException(method + " " + uri + ": unauthorized, and no WWW-Authenticate challenge", 401, "UNAUTHORIZED");
            }
            auth.remember(challenge);
        }
    }

    private HttpResponse<InputStream> followRedirects(HttpRequest.Builder rb, String authorization, String method) throws IOException {
        HttpRequest req = withAuth(rb, authorization).build();
        URI origin = req.uri();
        for (int hops = 0; ; hops++) {
            HttpResponse<InputStream> r = exchange(req, HttpResponse.BodyHandlers.ofInputStream());
            int s = r.statusCode();
            if ((s != 301 && s != 302 && s != 303 && s != 307 && s != 308) || r.headers().firstValue("Location").isEmpty()) {
                return r;
            }
            r.body().close();
            if (hops >= MAX_REDIRECTS) {
                throw new IOException(method + " " + origin + ": too many redirects");
            }
            URI next = req.uri().resolve(r.headers().firstValue("Location").get());
            HttpRequest.Builder nb = HttpRequest.newBuilder(next);
            req.headers().map().forEach((k, vs) -> {
                if (!k.equalsIgnoreCase("Authorization")) {
                    vs.forEach(v -> nb.header(k, v));
                }
            });
            // credentials stay with the registry: storage behind a redirect gets a signed URL instead
            if (sameOrigin(origin, next) && authorization != null) {
                nb.header("Authorization", authorization);
            }
            boolean keepMethod = s == 307 || s == 308 || method.equals("HEAD");
            nb.method(keepMethod ? method : "GET", keepMethod && req.bodyPublisher().isPresent() ? req.bodyPublisher().get() : HttpRequest.BodyPublishers.noBody());
            req = nb.build();
        }
    }

    private static HttpRequest.Builder withAuth(HttpRequest.Builder rb, String authorization) {
        return authorization == null ? rb : rb.header("Authorization", authorization);
    }

    private static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equals(b.getScheme()) && String.valueOf(a.getAuthority()).equals(String.valueOf(b.getAuthority()));
    }

    <T> HttpResponse<T> exchange(HttpRequest req, HttpResponse.BodyHandler<T> handler) throws IOException {
        try {
            return http.send(req, handler);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted: " + req.method() + " " + req.uri());
        }
    }

    /** The registry's error for a failed response, as containers/image words it; reads and closes the body. */
    public static RegistryException error(HttpResponse<InputStream> r, String context) {
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
