package berth.image.support.registry;

import java.io.InputStream;

/** What a request sends: bytes that can be sent again (after a 401 or a redirect), or a stream that goes once. */
public sealed interface RequestBody {
    /** An empty body ({@code Content-Length: 0}), as a POST that starts an upload sends. */
    RequestBody EMPTY = new Bytes(new byte[0]);

    /** A body held in memory: a retry sends it again. */
    record Bytes(byte[] content) implements RequestBody {
    }

    /** A body of {@code length} bytes read from {@code content}: it can be sent only once. */
    record Streamed(InputStream content, long length) implements RequestBody {
    }
}
