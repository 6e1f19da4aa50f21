package berth.image.support.registry;

import berth.kernel.json.Json;
import berth.kernel.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Authorization for one registry: remembers the last challenge, sends Basic credentials for a
 * Basic challenge, and for a Bearer challenge fetches a token per scope from the realm (with the
 * credentials when there are any, anonymously otherwise) and caches it.
 */
final class RegistryAuth {
    private final RegistryClient client;
    private final Optional<Credentials> credentials;
    private final Map<String, String> tokens = new ConcurrentHashMap<>();
    private volatile AuthChallenge challenge;

    RegistryAuth(RegistryClient client, Optional<Credentials> credentials) {
        this.client = client;
        this.credentials = credentials;
    }

    void remember(AuthChallenge c) {
        if (c != null) {
            challenge = c;
        }
    }

    /** The Authorization header for {@code scope}, or null; {@code renew} drops a cached token that was refused. */
    String header(String scope, boolean renew) throws IOException {
        AuthChallenge c = challenge;
        if (c == null) {
            return null;
        }
        if (c.scheme().equals("basic")) {
            if (credentials.isEmpty()) {
                throw new RegistryException("authentication required by " + client.registry()
                        + " (Basic), and no credentials were given (--creds, --authfile or auth.json)", 401, "UNAUTHORIZED");
            }
            return credentials.get().basicHeader();
        }
        if (c.scheme().equals("bearer")) {
            String key = scope == null ? "" : scope;
            if (renew) {
                tokens.remove(key);
            }
            String token = tokens.get(key);
            if (token == null) {
                token = fetchToken(c, scope);
                tokens.put(key, token);
            }
            return "Bearer " + token;
        }
        throw new RegistryException(client.registry() + " asks for unsupported authentication scheme " + c.scheme(), 401, "UNAUTHORIZED");
    }

    private String fetchToken(AuthChallenge c, String scope) throws IOException {
        String realm = c.param("realm");
        if (realm == null || realm.isEmpty()) {
            throw new IOException(client.registry() + ": Bearer challenge without a realm");
        }
        StringBuilder q = new StringBuilder();
        if (c.param("service") != null) {
            q.append("service=").append(URLEncoder.encode(c.param("service"), StandardCharsets.UTF_8));
        }
        String s = scope != null ? scope : c.param("scope");
        if (s != null) {
            // several scopes (a cross-repository mount) go as repeated parameters
            for (String one : s.split(" ")) {
                if (!one.isEmpty()) {
                    q.append(q.length() == 0 ? "" : "&").append("scope=").append(URLEncoder.encode(one, StandardCharsets.UTF_8));
                }
            }
        }
        URI uri = URI.create(realm + (q.length() == 0 ? "" : (realm.contains("?") ? "&" : "?") + q));
        Map<String, String> headers = credentials.map(cr -> Map.of("Authorization", cr.basicHeader())).orElse(Map.of());
        RegistryResponse r = client.exchange("GET", uri, headers, Duration.ofSeconds(60));
        if (r.statusCode() != 200) {
            RegistryException e = RegistryClient.error(r, "requesting bearer token");
            throw new RegistryException("unable to retrieve auth token: " + (r.statusCode() == 401 && credentials.isPresent()
                    ? "invalid username/password: " : "") + e.getMessage(), r.statusCode(), e.errorCode());
        }
        JsonObject doc;
        try (InputStream in = r.body()) {
            doc = Json.parseObject(in.readAllBytes());
        }
        String token = doc.str("token", doc.str("access_token"));
        if (token == null || token.isEmpty()) {
            throw new IOException("the token service at " + realm + " returned no token");
        }
        return token;
    }
}
