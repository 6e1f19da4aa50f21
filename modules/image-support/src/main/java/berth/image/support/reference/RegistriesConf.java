package berth.image.support.reference;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.support.toml.Toml;
import berth.support.toml.TomlException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * containers-registries.conf(5), version 2 (and the old v1 {@code [registries.search]} form), merged
 * over its drop-ins as containers/image does: {@code [[registry]]} tables and {@code [aliases]} merge
 * by key, a later {@code unqualified-search-registries} or {@code short-name-mode} replaces an
 * earlier one.
 *
 * @param registries the {@code [[registry]]} tables, by prefix
 * @param unqualifiedSearchRegistries where short names are looked up, in order
 * @param searchOrigin the file that set the search registries (the first file when none did), for messages
 * @param shortNameMode {@code enforcing}, {@code permissive} or {@code disabled}; berth never prompts
 * @param aliases short name → fully-qualified name without tag
 */
public record RegistriesConf(List<RegistryEntry> registries, List<String> unqualifiedSearchRegistries, String searchOrigin,
                             String shortNameMode, Map<String, String> aliases) {
    public static final RegistriesConf EMPTY = new RegistriesConf(List.of(), List.of(), "", "permissive", Map.of());
    public static final Path DEFAULT_FILE = Path.of("/etc/containers/registries.conf");
    public static final Path DEFAULT_DIR = Path.of("/etc/containers/registries.conf.d");

    public RegistriesConf {
        registries = List.copyOf(registries);
        unqualifiedSearchRegistries = List.copyOf(unqualifiedSearchRegistries);
        aliases = Map.copyOf(aliases);
    }

    /**
     * The files podman reads: {@code $CONTAINERS_REGISTRIES_CONF} when set, else
     * /etc/containers/registries.conf; then the {@code *.conf} drop-ins of registries.conf.d, sorted
     * by name. Files that do not exist are left out.
     */
    public static List<Path> defaultFiles() {
        return defaultFiles(System.getenv("CONTAINERS_REGISTRIES_CONF"), DEFAULT_FILE, DEFAULT_DIR);
    }

    static List<Path> defaultFiles(String envValue, Path mainFile, Path dropInDir) {
        List<Path> out = new ArrayList<>();
        Path main = envValue != null && !envValue.isEmpty() ? Path.of(envValue) : mainFile;
        if (Files.isRegularFile(main)) {
            out.add(main);
        }
        if (Files.isDirectory(dropInDir)) {
            try (Stream<Path> s = Files.list(dropInDir)) {
                s.filter(p -> p.getFileName().toString().endsWith(".conf") && Files.isRegularFile(p)).sorted().forEach(out::add);
            } catch (IOException e) {
                // an unreadable drop-in directory is as if empty, as a missing one is
            }
        }
        return out;
    }

    /** Loads and merges {@code files} in order; a later file overrides an earlier one. */
    public static RegistriesConf load(List<Path> files) throws IOException {
        Map<String, RegistryEntry> byPrefix = new TreeMap<>();
        List<String> search = List.of();
        String origin = files.isEmpty() ? "" : files.get(0).toString();
        String mode = "permissive";
        Map<String, String> aliases = new LinkedHashMap<>();
        for (Path file : files) {
            Partial p = parseFile(Files.readString(file), file.toString());
            for (RegistryEntry r : p.registries) {
                byPrefix.put(r.prefix(), r);
            }
            if (p.search != null) {
                search = p.search;
                origin = file.toString();
            }
            if (p.mode != null) {
                mode = p.mode;
            }
            aliases.putAll(p.aliases);
        }
        return new RegistriesConf(new ArrayList<>(byPrefix.values()), search, origin, mode, aliases);
    }

    /** One file's content; {@code name} is used in messages. */
    public static RegistriesConf parse(String toml, String name) throws IOException {
        Partial p = parseFile(toml, name);
        return new RegistriesConf(p.registries, p.search == null ? List.of() : p.search, name,
                p.mode == null ? "permissive" : p.mode, p.aliases);
    }

    /** What one file sets; null for fields it leaves alone. */
    private record Partial(List<RegistryEntry> registries, List<String> search, String mode, Map<String, String> aliases) {
    }

    private static Partial parseFile(String toml, String name) throws IOException {
        Map<String, Object> root;
        try {
            root = Toml.parse(toml, name);
        } catch (TomlException e) {
            throw new IOException("parsing " + e.getMessage(), e);
        }
        List<RegistryEntry> registries = new ArrayList<>();
        List<String> search = root.containsKey("unqualified-search-registries") ? strings(root.get("unqualified-search-registries")) : null;
        if (root.get("registries") instanceof Map<?, ?> v1) {
            if (search != null || root.containsKey("registry")) {
                throw new IOException("parsing " + name + ": mixing sysregistry v1/v2 is not supported");
            }
            search = v1.containsKey("search") ? strings(table(v1.get("search")).get("registries")) : null;
            for (String loc : strings(table(v1.get("insecure")).get("registries"))) {
                registries.add(new RegistryEntry(loc, loc, true, false, false, List.of()));
            }
            for (String loc : strings(table(v1.get("block")).get("registries"))) {
                registries.add(new RegistryEntry(loc, loc, false, true, false, List.of()));
            }
        }
        for (Object r : tables(root.get("registry"))) {
            registries.add(entry(table(r), name));
        }
        String mode = null;
        if (root.containsKey("short-name-mode")) {
            mode = text(root.get("short-name-mode"), "");
            if (!mode.equals("enforcing") && !mode.equals("permissive") && !mode.equals("disabled")) {
                throw new IOException("parsing " + name + ": invalid short name mode \"" + mode + "\"");
            }
        }
        Map<String, String> aliases = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : table(root.get("aliases")).entrySet()) {
            aliases.put((String) e.getKey(), alias((String) e.getKey(), text(e.getValue(), ""), name));
        }
        return new Partial(registries, search, mode, aliases);
    }

    private static String alias(String key, String value, String name) throws IOException {
        if (!ImageReference.isShortName(key) || key.contains(":") || key.contains("@")) {
            throw new IOException("parsing " + name + ": alias \"" + key + "\" must be a short name without tag or digest");
        }
        if (ImageReference.isShortName(value)) {
            throw new IOException("parsing " + name + ": alias \"" + key + "\" = \"" + value + "\" must be fully qualified");
        }
        try {
            ImageReference ref = ImageReference.parse(value);
            if (value.endsWith(":" + ref.tag()) || ref.hasDigest()) {
                throw new IOException("parsing " + name + ": alias \"" + key + "\" = \"" + value + "\" must not carry a tag or digest");
            }
            return ref.name();
        } catch (BerthException e) {
            throw new IOException("parsing " + name + ": alias \"" + key + "\": " + e.getMessage(), e);
        }
    }

    private static RegistryEntry entry(Map<?, ?> r, String name) throws IOException {
        String location = trimLocation(text(r.get("location"), ""), name);
        String prefix = trimLocation(text(r.get("prefix"), ""), name);
        if (prefix.isEmpty()) {
            if (location.isEmpty()) {
                throw new IOException("parsing " + name + ": invalid condition: both location and prefix are unset");
            }
            prefix = location;
        } else if (location.isEmpty() && !prefix.startsWith("*.")) {
            throw new IOException("parsing " + name + ": invalid condition: location is unset and prefix is not in the format: *.example.com");
        }
        if (prefix.startsWith("*.") && (prefix.contains("/") || prefix.contains(":") || prefix.contains("@"))) {
            throw new IOException("parsing " + name + ": wildcarded prefix should be in the format: *.example.com. Current prefix \""
                    + prefix + "\" is incorrectly formatted");
        }
        List<RegistryEntry.Mirror> mirrors = new ArrayList<>();
        for (Object m : tables(r.get("mirror"))) {
            Map<?, ?> mirror = table(m);
            mirrors.add(new RegistryEntry.Mirror(trimLocation(text(mirror.get("location"), ""), name), bool(mirror.get("insecure"))));
        }
        return new RegistryEntry(prefix, location, bool(r.get("insecure")), bool(r.get("blocked")), bool(r.get("mirror-by-digest-only")),
                mirrors);
    }

    /** A table, or an empty one for anything else (a missing key too). */
    private static Map<?, ?> table(Object v) {
        return v instanceof Map<?, ?> m ? m : Map.of();
    }

    /** An array of tables as a list; a single table as a list of one; nothing as none. */
    private static List<?> tables(Object v) {
        return v instanceof List<?> l ? l : v == null ? List.of() : List.of(v);
    }

    /** A scalar as text (a table or array as "", a missing key as {@code dflt}), as jackson's asText did. */
    private static String text(Object v, String dflt) {
        return v == null ? dflt : v instanceof Map || v instanceof List ? "" : String.valueOf(v);
    }

    /** A boolean; anything else is false (jackson's asBoolean also read the text "true"). */
    private static boolean bool(Object v) {
        return Boolean.TRUE.equals(v) || "true".equals(v);
    }

    private static String trimLocation(String s, String name) throws IOException {
        String t = s;
        while (t.endsWith("/")) {
            t = t.substring(0, t.length() - 1);
        }
        if (t.startsWith("http://") || t.startsWith("https://")) {
            throw new IOException("parsing " + name + ": invalid location '" + s + "': URI schemes are not supported");
        }
        return t;
    }

    private static List<String> strings(Object n) {
        List<String> out = new ArrayList<>();
        if (n instanceof List<?> l) {
            l.forEach(x -> out.add(text(x, "")));
        }
        return out;
    }

    /** The {@code [[registry]]} with the longest prefix matching {@code ref}, or null. */
    public RegistryEntry find(ImageReference ref) {
        String s = ref.toString();
        RegistryEntry best = null;
        for (RegistryEntry r : registries) {
            if (prefixMatch(s, r.prefix()) >= 0 && (best == null || r.prefix().length() > best.prefix().length())) {
                best = r;
            }
        }
        return best;
    }

    /** The registry's own endpoint for {@code ref}, after prefix rewriting; a blocked registry is an error. */
    public RegistryEndpoint endpointFor(ImageReference ref) {
        List<RegistryEndpoint> all = pullSources(ref);
        return all.get(all.size() - 1);
    }

    /**
     * The endpoints to pull {@code ref} from, in order: the mirrors first (only for references by
     * digest when {@code mirror-by-digest-only}), then the registry's location.
     */
    public List<RegistryEndpoint> pullSources(ImageReference ref) {
        RegistryEntry r = find(ref);
        if (r == null) {
            return List.of(new RegistryEndpoint(ref, false, false));
        }
        if (r.blocked()) {
            throw new BerthException(ErrorCode.IMAGE_TRANSPORT, "registry " + ref.registry() + " is blocked in "
                    + (searchOrigin.isEmpty() ? DEFAULT_FILE : searchOrigin) + " or registries.conf.d");
        }
        List<RegistryEndpoint> out = new ArrayList<>();
        if (!r.mirrorByDigestOnly() || ref.hasDigest()) {
            for (RegistryEntry.Mirror m : r.mirrors()) {
                out.add(new RegistryEndpoint(rewrite(ref, r.prefix(), m.location()), m.insecure(), true));
            }
        }
        out.add(new RegistryEndpoint(rewrite(ref, r.prefix(), r.location()), r.insecure(), false));
        return out;
    }

    private static ImageReference rewrite(ImageReference ref, String prefix, String location) {
        if (location.isEmpty()) {
            return ref;
        }
        String s = ref.toString();
        int n = prefixMatch(s, prefix);
        String rewritten = location + s.substring(n);
        try {
            return ImageReference.parse(rewritten);
        } catch (BerthException e) {
            throw new BerthException(ErrorCode.IMAGE_INVALID, "rewriting reference " + s + " to " + rewritten + ": " + e.getMessage(), e);
        }
    }

    /** How much of {@code ref} the prefix covers, or -1: a prefix ends at a '/', ':' or '@' of ref. */
    static int prefixMatch(String ref, String prefix) {
        if (prefix.startsWith("*.")) {
            String suffix = prefix.substring(1);
            int i = ref.indexOf(suffix);
            if (i < 0 || ref.substring(0, i).contains("/")) {
                return -1;
            }
            i += suffix.length();
            return i == ref.length() || ":/@".indexOf(ref.charAt(i)) >= 0 ? i : -1;
        }
        if (!ref.startsWith(prefix)) {
            return -1;
        }
        if (ref.length() == prefix.length()) {
            return prefix.length();
        }
        return ":/@".indexOf(ref.charAt(prefix.length())) >= 0 ? prefix.length() : -1;
    }

    /** Whether the configuration marks {@code host} (a registry, host[:port]) insecure. */
    public boolean isInsecure(String host) {
        RegistryEntry r = null;
        for (RegistryEntry e : registries) {
            if (prefixMatch(host, e.prefix()) >= 0 && (r == null || e.prefix().length() > r.prefix().length())) {
                r = e;
            }
        }
        return r != null && r.insecure();
    }
}
