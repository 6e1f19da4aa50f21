package berth.cli;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.model.Container;
import berth.kernel.model.ContainerStatus;
import berth.kernel.model.MountSpec;
import berth.kernel.model.RestartPolicy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * podman's container filters ({@code ps}, {@code rm}, {@code stop} ... {@code --filter KEY=VALUE};
 * pkg/domain/filters/containers.go): values of one key match if any matches, keys all must match.
 * Keys: id, name, label, label!, status, exited, ancestor, before, since, volume, network,
 * restart-policy, command.
 */
final class ContainerFilters {
    private static final Set<String> STATES = Set.of("created", "running", "paused", "stopped", "exited", "unknown",
            "configured", "stopping", "removing");
    private static final Set<String> POLICIES = Set.of("none", "no", "on-failure", "always", "unless-stopped");

    private final Map<String, List<String>> byKey = new LinkedHashMap<>();
    private final Instant before;
    private final Instant since;

    /** Parses and checks the filters; {@code lookup} finds the containers that before= and since= name. */
    ContainerFilters(List<String> filters, Function<String, Container> lookup) {
        for (String f : filters) {
            int eq = f.indexOf('=');
            if (eq < 0) {
                throw new BerthException(ErrorCode.USAGE, "invalid filter \"" + f + "\"");
            }
            byKey.computeIfAbsent(f.substring(0, eq), k -> new ArrayList<>()).add(f.substring(eq + 1));
        }
        Instant b = null;
        Instant s = null;
        for (Map.Entry<String, List<String>> e : byKey.entrySet()) {
            switch (e.getKey()) {
                case "id", "name", "label", "label!", "ancestor", "volume", "network", "command" -> {
                }
                case "status" -> {
                    for (String v : e.getValue()) {
                        if (!STATES.contains(v)) {
                            throw new BerthException(ErrorCode.USAGE, "unknown container state: " + v);
                        }
                    }
                }
                case "exited" -> {
                    for (String v : e.getValue()) {
                        try {
                            Integer.parseInt(v);
                        } catch (NumberFormatException x) {
                            throw new BerthException(ErrorCode.USAGE, "exited code out of range \"" + v + "\"");
                        }
                    }
                }
                case "restart-policy" -> {
                    List<String> bad = new ArrayList<>();
                    for (String v : e.getValue()) {
                        if (!POLICIES.contains(v)) {
                            bad.add(v);
                        }
                    }
                    if (!bad.isEmpty()) {
                        throw new BerthException(ErrorCode.USAGE, String.join(", ", bad)
                                + (bad.size() > 1 ? " invalid restart policies" : " invalid restart policy"));
                    }
                }
                case "before", "since" -> {
                    Instant earliest = null;
                    for (String v : e.getValue()) {
                        Instant t = lookup.apply(v).config().createdAt();
                        if (earliest == null || t.isBefore(earliest)) {
                            earliest = t;
                        }
                    }
                    if (e.getKey().equals("before")) {
                        b = earliest;
                    } else {
                        s = earliest;
                    }
                }
                default -> throw new BerthException(ErrorCode.USAGE, e.getKey() + " is an invalid filter");
            }
        }
        before = b;
        since = s;
    }

    boolean isEmpty() {
        return byKey.isEmpty();
    }

    boolean matches(Container c) {
        for (Map.Entry<String, List<String>> e : byKey.entrySet()) {
            if (!matches(c, e.getKey(), e.getValue())) {
                return false;
            }
        }
        return true;
    }

    private boolean matches(Container c, String key, List<String> values) {
        switch (key) {
            case "id":
                return anyMatch(values, v -> c.id().startsWith(v));
            case "name":
                return anyMatch(values, v -> Pattern.compile(v.replace("/", "")).matcher(c.name()).find());
            case "label":
                return values.stream().allMatch(v -> hasLabel(c, v)); // podman: every label given
            case "label!":
                return values.stream().noneMatch(v -> hasLabel(c, v));
            case "status":
                return anyMatch(values, v -> state(c).equals(v.equals("stopped") ? "exited" : v.equals("configured") ? "created" : v));
            case "exited":
                return (c.status() == ContainerStatus.EXITED || c.status() == ContainerStatus.STOPPED)
                        && anyMatch(values, v -> Integer.parseInt(v) == c.state().exitCode());
            case "ancestor":
                return c.config().fromImage() && anyMatch(values, v -> ancestor(c, v));
            case "before":
                return c.config().createdAt().isBefore(before);
            case "since":
                return c.config().createdAt().isAfter(since);
            case "volume":
                return anyMatch(values, v -> volume(c, v));
            case "network":
                return anyMatch(values, v -> c.config().network().networks().contains(v) || c.config().network().mode().equals(v));
            case "restart-policy":
                return anyMatch(values, v -> {
                    RestartPolicy.Kind k = c.config().restartPolicy().kind();
                    return v.equals("none") ? k == RestartPolicy.Kind.NO : k.text().equals(v);
                });
            case "command":
                return !c.config().command().isEmpty() && anyMatch(values, v -> Pattern.compile(v).matcher(c.config().command().get(0)).find());
            default:
                return false;
        }
    }

    /** podman's state names: a stopped container is "exited", a configured one "created". */
    static String state(Container c) {
        return c.status().display();
    }

    private static boolean hasLabel(Container c, String v) {
        int eq = v.indexOf('=');
        if (eq < 0) {
            return c.config().labels().containsKey(v);
        }
        return v.substring(eq + 1).equals(c.config().labels().get(v.substring(0, eq)));
    }

    private static boolean ancestor(Container c, String v) {
        String id = c.config().imageId() == null ? "" : c.config().imageId();
        String name = c.config().image() == null ? "" : c.config().image();
        if (!v.isEmpty() && id.contains(v)) {
            return true;
        }
        int colon = name.lastIndexOf(':');
        String untagged = colon > name.lastIndexOf('/') && colon >= 0 ? name.substring(0, colon) : name;
        boolean latest = name.endsWith(":latest");
        Pattern p = Pattern.compile(v);
        return p.matcher(name).find() || latest && p.matcher(untagged).find();
    }

    /** volume=NAME|DESTINATION or SOURCE:DESTINATION (a named volume's source is its name). */
    private static boolean volume(Container c, String v) {
        int colon = v.indexOf(':');
        String source = colon < 0 ? v : v.substring(0, colon);
        String dest = colon < 0 ? "" : v.substring(colon + 1);
        for (MountSpec m : c.config().mounts()) {
            String name = volumeName(m);
            if (dest.isEmpty() ? m.destination().equals(source) || source.equals(name)
                    : m.destination().equals(dest) && (m.source().equals(source) || source.equals(name))) {
                return true;
            }
        }
        return false;
    }

    /** A named volume's name, from its mount point {@code .../volumes/NAME/_data}. */
    private static String volumeName(MountSpec m) {
        if (!m.type().equals("volume") || !m.source().endsWith("/_data")) {
            return null;
        }
        String dir = m.source().substring(0, m.source().length() - "/_data".length());
        return dir.substring(dir.lastIndexOf('/') + 1);
    }

    private static boolean anyMatch(List<String> values, java.util.function.Predicate<String> p) {
        for (String v : values) {
            if (p.test(v)) {
                return true;
            }
        }
        return false;
    }
}
