package berth.image.support.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpRetryException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLSocketFactory;

/**
 * One HTTP/1.1 request and its response over the JDK's blocking {@link HttpURLConnection}
 * (keep-alive, chunked bodies, proxies from the system properties): the body is read on the
 * caller's thread, straight from the socket. java.net.http's selector thread and hand-offs cost a
 * pull about a second of CPU per 100 MB under the CLI's C1-only JVM. Redirects are not followed
 * here; {@link RegistryClient} follows them itself.
 */
final class HttpTransport {
    private static final HostnameVerifier ANY_HOST = (host, session) -> true;

    private final int connectTimeoutMillis;
    private final boolean insecure;
    /** Made at the first HTTPS request (a plain-HTTP pull never pays for it); one for all requests, since kept-alive TLS connections are shared only by the same factory. */
    private SSLSocketFactory insecureTls;

    HttpTransport(boolean insecure, Duration connectTimeout) {
        this.connectTimeoutMillis = (int) connectTimeout.toMillis();
        this.insecure = insecure;
    }

    private synchronized SSLSocketFactory insecureTls() {
        if (insecureTls == null) {
            insecureTls = InsecureTls.context().getSocketFactory();
        }
        return insecureTls;
    }

    /**
     * Sends {@code method uri} with {@code headers} and {@code body} (null: none) and returns the
     * response with its body unread; {@code readTimeout} (null: none) bounds each read.
     */
    RegistryResponse exchange(String method, URI uri, Map<String, String> headers, RequestBody body, Duration readTimeout)
            throws IOException {
        HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
        if (insecure && c instanceof HttpsURLConnection s) {
            s.setSSLSocketFactory(insecureTls());
            s.setHostnameVerifier(ANY_HOST);
        }
        c.setInstanceFollowRedirects(false);
        c.setUseCaches(false);
        c.setConnectTimeout(connectTimeoutMillis);
        if (readTimeout != null) {
            c.setReadTimeout((int) readTimeout.toMillis());
        }
        c.setRequestMethod(method);
        headers.forEach(c::setRequestProperty);
        int status;
        try {
            if (body != null) {
                send(c, body);
            }
            status = c.getResponseCode();
        } catch (HttpRetryException e) {
            // a streamed body cannot be sent again, so the JDK gives up on a 401 or a redirect
            c.disconnect();
            throw new IOException(method + " " + uri + ": the server answered " + e.responseCode()
                    + " to a streamed body, which cannot be sent again", e);
        }
        InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
        if (in == null) {
            in = InputStream.nullInputStream();
        } else if (!method.equals("HEAD") && c.getContentLengthLong() > 0) {
            in = new ExactLengthStream(in, c.getContentLengthLong());
        }
        return new RegistryResponse(status, headers(c), in);
    }

    private static void send(HttpURLConnection c, RequestBody body) throws IOException {
        c.setDoOutput(true);
        if (body instanceof RequestBody.Bytes b) {
            c.setFixedLengthStreamingMode(b.content().length);
            try (OutputStream out = c.getOutputStream()) {
                out.write(b.content());
            }
        } else if (body instanceof RequestBody.Streamed s) {
            c.setFixedLengthStreamingMode(s.length());
            try (OutputStream out = c.getOutputStream()) {
                long n = s.content().transferTo(out);
                if (n != s.length()) {
                    throw new IOException("request body: " + n + " bytes, not the announced " + s.length());
                }
            }
        }
    }

    /** Every header in the order received, names compared without case (the status line, key null, left out). */
    private static Map<String, List<String>> headers(HttpURLConnection c) {
        Map<String, List<String>> out = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 0; ; i++) {
            String value = c.getHeaderField(i);
            String key = c.getHeaderFieldKey(i);
            if (value == null && key == null) {
                return out;
            }
            if (key != null) {
                out.computeIfAbsent(key, k -> new ArrayList<>(1)).add(value);
            }
        }
    }
}
