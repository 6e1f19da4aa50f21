package berth.image.support.registry;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A registry's answer: the status, the headers (names compared without case) and the body, which
 * the caller reads and closes (closing a body read to its end lets the connection serve the next
 * request).
 */
public final class RegistryResponse implements Closeable {
    private final int status;
    private final Map<String, List<String>> headers;
    private final InputStream body;

    RegistryResponse(int status, Map<String, List<String>> headers, InputStream body) {
        this.status = status;
        this.headers = headers;
        this.body = body;
    }

    public int statusCode() {
        return status;
    }

    /** The first value of a header, as the server sent it. */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    public InputStream body() {
        return body;
    }

    @Override
    public void close() throws IOException {
        body.close();
    }
}
