package berth.image.support.registry;

import berth.kernel.json.Json;
import berth.kernel.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * containers-auth.json(5) and docker's config files: {@code {"auths": {"HOST[/PATH]": {"auth":
 * base64(USER:PASSWORD)}}}}. The most specific key wins: {@code host/ns/repo}, then {@code host/ns},
 * then {@code host}; docker's {@code https://index.docker.io/v1/} keys count as docker.io.
 */
public final class AuthFile {
    private AuthFile() {
    }

    /**
     * The files to read, in order: {@code authFile} (--authfile) or else {@code $REGISTRY_AUTH_FILE} or
     * else {@code $XDG_RUNTIME_DIR/containers/auth.json} (/run/containers/UID/auth.json without it),
     * then {@code $HOME/.docker/config.json} and {@code $HOME/.dockercfg}.
     */
    public static List<Path> searchPath(Path authFile, Map<String, String> env) {
        List<Path> out = new ArrayList<>();
        if (authFile != null) {
            out.add(authFile);
        } else if (nonEmpty(env.get("REGISTRY_AUTH_FILE"))) {
            out.add(Path.of(env.get("REGISTRY_AUTH_FILE")));
        } else if (nonEmpty(env.get("XDG_RUNTIME_DIR"))) {
            out.add(Path.of(env.get("XDG_RUNTIME_DIR"), "containers", "auth.json"));
        } else {
            out.add(Path.of("/run/containers", uid(), "auth.json"));
        }
        String home = nonEmpty(env.get("HOME")) ? env.get("HOME") : System.getProperty("user.home");
        out.add(Path.of(home, ".docker", "config.json"));
        out.add(Path.of(home, ".dockercfg"));
        return out;
    }

    /** Credentials for {@code host} and {@code repository} from the default files, or empty. */
    public static Optional<Credentials> lookup(Path authFile, String host, String repository) throws IOException {
        for (Path p : searchPath(authFile, System.getenv())) {
            if (Files.isRegularFile(p)) {
                Optional<Credentials> c = lookupIn(p, host, repository);
                if (c.isPresent()) {
                    return c;
                }
            } else if (p.equals(authFile)) {
                throw new IOException("credential file is not accessible: " + p + ": no such file");
            }
        }
        return Optional.empty();
    }

    /** Credentials in one file. */
    public static Optional<Credentials> lookupIn(Path file, String host, String repository) throws IOException {
        JsonObject doc = Json.parseObject(Files.readAllBytes(file));
        // .dockercfg keeps the hosts at the top level
        JsonObject auths = doc.obj("auths") != null ? doc.obj("auths") : file.getFileName().toString().equals(".dockercfg") ? doc : null;
        if (auths == null) {
            return Optional.empty();
        }
        Map<String, JsonObject> byKey = new java.util.HashMap<>();
        for (String key : auths.asMap().keySet()) {
            JsonObject entry = auths.obj(key);
            if (entry != null && entry.has("auth")) {
                byKey.putIfAbsent(normalizeKey(key), entry);
            }
        }
        JsonObject best = null;
        for (String wanted : keysToTry(host, repository)) {
            best = byKey.get(wanted);
            if (best != null) {
                break;
            }
        }
        if (best == null) {
            return Optional.empty();
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(best.str("auth").trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IOException("invalid auth entry for " + host + " in " + file + ": not base64");
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            throw new IOException("invalid auth entry for " + host + " in " + file + ": not USER:PASSWORD");
        }
        return Optional.of(new Credentials(decoded.substring(0, colon), decoded.substring(colon + 1)));
    }

    /** {@code host/a/b}, {@code host/a}, {@code host}: the most specific first. */
    private static List<String> keysToTry(String host, String repository) {
        List<String> out = new ArrayList<>();
        if (repository != null && !repository.isEmpty()) {
            String k = host + "/" + repository;
            while (k.length() > host.length()) {
                out.add(k);
                k = k.substring(0, k.lastIndexOf('/'));
            }
        }
        out.add(host);
        return out;
    }

    private static String normalizeKey(String key) {
        String k = key;
        if (k.startsWith("https://") || k.startsWith("http://")) {
            k = k.substring(k.indexOf("://") + 3);
            int slash = k.indexOf('/');
            k = slash < 0 ? k : k.substring(0, slash); // docker keys carry /v1/ paths, not repositories
        }
        while (k.endsWith("/")) {
            k = k.substring(0, k.length() - 1);
        }
        if (k.equals("index.docker.io") || k.equals("registry-1.docker.io")) {
            return "docker.io";
        }
        return k;
    }

    private static boolean nonEmpty(String s) {
        return s != null && !s.isEmpty();
    }

    private static String uid() {
        try {
            Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            return String.valueOf(uid);
        } catch (IOException | UnsupportedOperationException e) {
            return "0";
        }
    }
}
