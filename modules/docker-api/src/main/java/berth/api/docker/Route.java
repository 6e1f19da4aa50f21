package berth.api.docker;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One endpoint: a method, a path pattern whose groups are the path's parameters, and its handler. */
record Route(String method, Pattern pattern, Action action) {
    interface Action {
        void handle(Exchange x, String[] params) throws Exception;
    }

    static Route of(String method, String path, Action action) {
        // {name} is one path segment; {name*} is the rest (image names have slashes)
        String regex = path.replace("{name*}", "(.+)").replaceAll("\\{[a-z]+\\}", "([^/]+)");
        return new Route(method, Pattern.compile(regex), action);
    }

    /** The path's parameters when this route answers the request, else null. */
    String[] match(String method, String path) {
        if (!this.method.equals(method) && !(this.method.equals("GET") && method.equals("HEAD"))) {
            return null;
        }
        Matcher m = pattern.matcher(path);
        if (!m.matches()) {
            return null;
        }
        String[] params = new String[m.groupCount()];
        for (int i = 0; i < params.length; i++) {
            params[i] = m.group(i + 1);
        }
        return params;
    }
}
