package berth.api.docker;

import berth.kernel.json.Json;
import berth.kernel.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.ExecutionException;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.FutureCallback;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * One request and its answer, as the routes see them: the path without its {@code /v1.xx} prefix, the
 * query, a size-limited JSON body, and blocking writers. Jetty calls the router on a pool thread, so
 * a route may block (wait, logs --follow, events).
 */
final class Exchange {
    /** Bodies the API parses as JSON are small; anything larger is refused (413) before it is read. */
    static final int MAX_JSON_BODY = 4 * 1024 * 1024;

    final Request request;
    final Response response;
    final Callback callback;
    final String path;
    private final Fields query;
    private boolean done;

    Exchange(Request request, Response response, Callback callback, String path) {
        this.request = request;
        this.response = response;
        this.callback = callback;
        this.path = path;
        this.query = Request.extractQueryParameters(request, StandardCharsets.UTF_8);
    }

    String method() {
        return request.getMethod();
    }

    String header(String name) {
        return request.getHeaders().get(name);
    }

    String query(String name) {
        Fields.Field f = query.get(name);
        return f == null ? null : f.getValue();
    }

    List<String> queryAll(String name) {
        Fields.Field f = query.get(name);
        return f == null ? List.of() : f.getValues();
    }

    String query(String name, String dflt) {
        String v = query(name);
        return v == null ? dflt : v;
    }

    /** Docker's booleans: 1, true, True; absent is {@code dflt}. */
    boolean flag(String name, boolean dflt) {
        String v = query(name);
        if (v == null || v.isEmpty()) {
            return dflt;
        }
        return v.equals("1") || v.equalsIgnoreCase("true");
    }

    Integer integer(String name) {
        String v = query(name);
        if (v == null || v.isEmpty()) {
            return null;
        }
        try {
            return Integer.valueOf(v);
        } catch (NumberFormatException e) {
            throw ApiError.badRequest("invalid value for " + name + ": " + v);
        }
    }

    /** The query's {@code filters} parameter: Docker's JSON map of a key to values (or to a map of value to true). */
    Map<String, List<String>> filters() {
        return Filters.parse(query("filters"));
    }

    InputStream bodyStream() {
        return Content.Source.asInputStream(request);
    }

    /** The body as JSON; an empty body is an empty object. Malformed: 400; too large: 413. */
    JsonObject json() throws IOException {
        byte[] body = body(MAX_JSON_BODY);
        if (body.length == 0) {
            return new JsonObject();
        }
        try {
            return Json.parseObject(body);
        } catch (Json.MalformedJsonException | ClassCastException e) {
            throw ApiError.badRequest("malformed JSON body: " + e.getMessage());
        }
    }

    byte[] body(int limit) throws IOException {
        long declared = request.getLength();
        if (declared > limit) {
            throw new ApiError(413, "request body of " + declared + " bytes is larger than the limit of " + limit);
        }
        try (InputStream in = bodyStream()) {
            byte[] b = in.readNBytes(limit + 1);
            if (b.length > limit) {
                throw new ApiError(413, "request body is larger than the limit of " + limit + " bytes");
            }
            return b;
        }
    }

    void sendJson(int status, Object value) {
        send(status, "application/json", Json.writeBytes(value));
    }

    void sendText(int status, String text) {
        send(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }

    void sendEmpty(int status) {
        done = true;
        response.setStatus(status);
        response.write(true, null, callback);
    }

    void send(int status, String contentType, byte[] body) {
        done = true;
        response.setStatus(status);
        response.getHeaders().put("Content-Type", contentType);
        response.getHeaders().put("Content-Length", body.length);
        if (method().equals("HEAD")) {
            response.write(true, null, callback);
        } else {
            response.write(true, java.nio.ByteBuffer.wrap(body), callback);
        }
    }

    void error(int status, String message) {
        sendJson(status, Map.of("message", message == null ? "internal error" : message));
    }

    /** Starts a streamed answer; each write goes out at once (chunked). Close it to finish. */
    OutputStream stream(int status, String contentType) {
        done = true;
        response.setStatus(status);
        response.getHeaders().put("Content-Type", contentType);
        // commit the headers now: a client may wait for them before its next request (docker run's wait)
        FutureCallback committed = new FutureCallback();
        response.write(false, BufferUtil.EMPTY_BUFFER, committed);
        try {
            committed.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new InterruptedIOException("interrupted"));
        } catch (ExecutionException e) {
            throw new UncheckedIOException(new IOException("the client went away", e.getCause()));
        }
        OutputStream out = Content.Sink.asOutputStream(response);
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                out.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
                out.flush();
            }

            @Override
            public void close() throws IOException {
                out.close();
                callback.succeeded();
            }
        };
    }

    /** True once an answer has begun (an error then can only abort the connection). */
    boolean answered() {
        return done;
    }

    /** Marks the exchange as answered by someone else (a hijacked connection). */
    void handedOver() {
        done = true;
    }
}
