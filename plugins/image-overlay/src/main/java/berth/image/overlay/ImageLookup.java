package berth.image.overlay;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds a local image as podman's libimage does: a full name; a short name, which matches
 * {@code localhost/NAME}, {@code docker.io/library/NAME} and {@code NAME} on any registry; a
 * {@code name@digest}; an id or a unique id prefix.
 */
final class ImageLookup {
    private ImageLookup() {
    }

    /** A stored, fully qualified name split up: {@code registry/path:tag}. */
    record Name(String registry, String path, String tag) {
        static Name parse(String full) {
            String rest = full;
            String registry = "";
            int slash = rest.indexOf('/');
            if (slash > 0) {
                String first = rest.substring(0, slash);
                if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
                    registry = first;
                    rest = rest.substring(slash + 1);
                }
            }
            int at = rest.indexOf('@');
            if (at >= 0) {
                rest = rest.substring(0, at);
            }
            String tag = "";
            int colon = rest.lastIndexOf(':');
            if (colon >= 0) {
                tag = rest.substring(colon + 1);
                rest = rest.substring(0, colon);
            }
            return new Name(registry, rest, tag);
        }

        String repository() {
            return registry.isEmpty() ? path : registry + "/" + path;
        }
    }

    static Optional<ImageRecord> find(List<ImageRecord> images, String reference) {
        String ref = reference.startsWith("docker://") ? reference.substring("docker://".length()) : reference;
        if (ref.startsWith("sha256:")) {
            ref = ref.substring("sha256:".length());
        }
        for (ImageRecord i : images) {
            if (i.id().equals(ref)) {
                return Optional.of(i);
            }
        }
        int at = ref.indexOf('@');
        if (at > 0) {
            return byDigest(images, ref.substring(0, at), ref.substring(at + 1));
        }
        Optional<ImageRecord> named = byName(images, ref);
        if (named.isPresent()) {
            return named;
        }
        return byIdPrefix(images, ref);
    }

    /** Whether {@code reference} (a name, short or full, or {@code name@digest}) denotes the stored {@code name}. */
    static boolean nameMatches(String name, String reference) {
        var j = new berth.kernel.json.JsonObject().put("id", "-").put("names", List.of(name));
        int at = reference.indexOf('@');
        if (at > 0) {
            return repositoryMatches(Name.parse(name), Name.parse(reference.substring(0, at)));
        }
        return byName(List.of(new ImageRecord(j)), reference).isPresent();
    }

    private static Optional<ImageRecord> byIdPrefix(List<ImageRecord> images, String prefix) {
        if (prefix.length() < 3 || !prefix.chars().allMatch(c -> c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
            return Optional.empty();
        }
        List<ImageRecord> hits = new ArrayList<>();
        for (ImageRecord i : images) {
            if (i.id().startsWith(prefix)) {
                hits.add(i);
            }
        }
        return hits.size() == 1 ? Optional.of(hits.get(0)) : Optional.empty();
    }

    private static Optional<ImageRecord> byDigest(List<ImageRecord> images, String name, String digest) {
        Name want = Name.parse(name);
        for (ImageRecord i : images) {
            boolean digestMatches = digest.equals(i.digest()) || i.json.stringMap("big-data-digests").containsValue(digest)
                    && i.bigDataNames().contains(BigData.manifestKey(digest));
            if (!digestMatches) {
                continue;
            }
            for (String n : i.names()) {
                if (repositoryMatches(Name.parse(n), want)) {
                    return Optional.of(i);
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<ImageRecord> byName(List<ImageRecord> images, String ref) {
        Name want = Name.parse(ref);
        String tag = want.tag().isEmpty() ? "latest" : want.tag();
        // exact names first, then localhost, docker.io, any registry: podman's order of preference
        List<String> exact = new ArrayList<>();
        if (!want.registry().isEmpty()) {
            exact.add(want.repository() + ":" + tag);
            if (want.registry().equals("docker.io") && !want.path().contains("/")) {
                exact.add("docker.io/library/" + want.path() + ":" + tag);
            }
        } else {
            exact.add("localhost/" + want.path() + ":" + tag);
            exact.add("docker.io/" + (want.path().contains("/") ? "" : "library/") + want.path() + ":" + tag);
        }
        for (String e : exact) {
            for (ImageRecord i : images) {
                if (i.names().contains(e)) {
                    return Optional.of(i);
                }
            }
        }
        if (want.registry().isEmpty()) {
            for (ImageRecord i : images) {
                for (String n : i.names()) {
                    Name have = Name.parse(n);
                    if (have.path().equals(want.path()) && have.tag().equals(tag)) {
                        return Optional.of(i);
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static boolean repositoryMatches(Name have, Name want) {
        if (want.registry().isEmpty()) {
            return have.path().equals(want.path()) || have.path().equals("library/" + want.path());
        }
        return have.registry().equals(want.registry())
                && (have.path().equals(want.path()) || have.path().equals("library/" + want.path()));
    }

    /**
     * The name podman gives a user's new name ({@code tag}, {@code commit}, {@code import}): a short
     * name goes to {@code localhost/}, {@code :latest} when no tag, {@code docker.io/x} becomes
     * {@code docker.io/library/x}.
     */
    static String normalizeNewName(String name) {
        Name n = Name.parse(name);
        if (n.path().isEmpty() || !n.path().equals(n.path().toLowerCase(java.util.Locale.ROOT))) {
            throw new berth.kernel.error.BerthException(berth.kernel.error.ErrorCode.INVALID_ARGUMENT,
                    "normalizing name \"" + name + "\": invalid reference format: repository name must be lowercase");
        }
        String registry = n.registry().isEmpty() ? "localhost" : n.registry();
        String path = registry.equals("docker.io") && !n.path().contains("/") ? "library/" + n.path() : n.path();
        return registry + "/" + path + ":" + (n.tag().isEmpty() ? "latest" : n.tag());
    }
}
