package berth.api.docker;

import berth.kernel.error.BerthException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Finds the route for a request and turns every failure into Docker's error body: a bad request never
 * takes the service down. Paths may carry a {@code /v1.xx} prefix or none.
 */
final class Router extends Handler.Abstract {
    private static final Pattern VERSIONED = Pattern.compile("^/v(\\d+\\.\\d+)(/.*)$");

    private final List<Route> routes = new ArrayList<>();
    private final Activity activity;

    Router(Activity activity) {
        this.activity = activity;
    }

    Router add(Route r) {
        routes.add(r);
        return this;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        activity.begin();
        try {
            String path = request.getHttpURI().getDecodedPath();
            Matcher v = VERSIONED.matcher(path);
            if (v.matches()) {
                path = v.group(2);
            }
            response.getHeaders().put("Api-Version", DockerApiServer.API_VERSION);
            response.getHeaders().put("Server", "Docker/" + DockerApiServer.ENGINE_VERSION + " (linux)");
            Exchange x = new Exchange(request, response, callback, path);
            dispatch(x);
        } finally {
            activity.end();
        }
        return true;
    }

    private void dispatch(Exchange x) {
        try {
            boolean pathKnown = false;
            for (Route r : routes) {
                String[] params = r.match(x.method(), x.path);
                if (params != null) {
                    r.action().handle(x, params);
                    return;
                }
                pathKnown |= r.pattern().matcher(x.path).matches();
            }
            if (pathKnown) {
                x.error(405, "method " + x.method() + " not allowed for " + x.path);
            } else {
                x.error(404, "page not found");
            }
        } catch (ApiError e) {
            fail(x, e.status(), e.getMessage());
        } catch (BerthException e) {
            fail(x, ErrorStatus.of(e), e.getMessage());
        } catch (Exception e) {
            fail(x, 500, e.toString());
        }
    }

    private static void fail(Exchange x, int status, String message) {
        if (!x.answered()) {
            x.error(status, message);
        } else {
            x.callback.failed(new IllegalStateException(message));
        }
    }
}
