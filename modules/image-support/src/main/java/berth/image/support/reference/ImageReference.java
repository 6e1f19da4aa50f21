package berth.image.support.reference;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import java.util.regex.Pattern;

/**
 * A fully-qualified image reference, normalised as docker does: {@code busybox} is
 * {@code docker.io/library/busybox:latest}.
 *
 * @param registry host with optional port ({@code docker.io}, {@code localhost:5000})
 * @param repository the path inside the registry ({@code library/busybox})
 * @param tag the tag; null when the reference names only a digest
 * @param digest {@code sha256:HEX}; null when none
 */
public record ImageReference(String registry, String repository, String tag, String digest) {
    public static final String DOCKER_HUB = "docker.io";
    public static final String DEFAULT_TAG = "latest";

    // docker/distribution reference grammar (reference/regexp.go)
    private static final String DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    private static final String DOMAIN = "(?:" + DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT + ")*|\\[[0-9a-fA-F:]+\\])(?::[0-9]+)?";
    private static final String PATH_COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
    private static final Pattern DOMAIN_PATTERN = Pattern.compile(DOMAIN);
    private static final Pattern PATH_PATTERN = Pattern.compile(PATH_COMPONENT + "(?:/" + PATH_COMPONENT + ")*");
    private static final Pattern TAG_PATTERN = Pattern.compile("[\\w][\\w.-]{0,127}");
    private static final Pattern DIGEST_PATTERN = Pattern.compile("[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}");
    private static final Pattern SHA256_DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");
    private static final Pattern IMAGE_ID = Pattern.compile("[a-f0-9]{64}");
    private static final int NAME_MAX = 255;

    public ImageReference {
        if (registry == null || registry.isEmpty() || repository == null || repository.isEmpty()) {
            throw invalid(registry + "/" + repository, "registry and repository are required");
        }
        if (tag == null && digest == null) {
            tag = DEFAULT_TAG;
        }
    }

    /**
     * Parses and normalises {@code text}: the registry defaults to docker.io, a one-component
     * docker.io name gets {@code library/}, and a reference with neither tag nor digest gets
     * {@code latest}.
     */
    public static ImageReference parse(String text) {
        if (text == null || text.isEmpty()) {
            throw invalid("", "empty reference");
        }
        if (IMAGE_ID.matcher(text).matches()) {
            throw invalid(text, "cannot specify 64-byte hexadecimal strings as a repository name");
        }
        String rest = text;
        String digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = rest.substring(at + 1);
            rest = rest.substring(0, at);
            if (!DIGEST_PATTERN.matcher(digest).matches()) {
                throw invalid(text, "invalid digest \"" + digest + "\"");
            }
            if (!SHA256_DIGEST.matcher(digest).matches()) {
                throw invalid(text, "unsupported digest algorithm or length in \"" + digest + "\" (sha256 with 64 lowercase hex digits)");
            }
        }
        String tag = null;
        int colon = rest.lastIndexOf(':');
        if (colon > rest.lastIndexOf('/')) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
            if (!TAG_PATTERN.matcher(tag).matches()) {
                throw invalid(text, "invalid tag \"" + tag + "\"");
            }
        }
        String[] split = splitDomain(rest);
        String registry = split[0];
        String repository = split[1];
        if (!registry.isEmpty() && !DOMAIN_PATTERN.matcher(registry).matches()) {
            throw invalid(text, "invalid registry \"" + registry + "\"");
        }
        if (!repository.equals(repository.toLowerCase(java.util.Locale.ROOT))) {
            throw invalid(text, "repository name must be lowercase");
        }
        if (!PATH_PATTERN.matcher(repository).matches()) {
            throw invalid(text, "invalid repository name \"" + repository + "\"");
        }
        if (registry.isEmpty()) {
            registry = DOCKER_HUB;
        }
        if (registry.equals("index.docker.io")) {
            registry = DOCKER_HUB;
        }
        if (registry.equals(DOCKER_HUB) && repository.indexOf('/') < 0) {
            repository = "library/" + repository;
        }
        if (registry.length() + 1 + repository.length() > NAME_MAX) {
            throw invalid(text, "repository name must not be more than " + NAME_MAX + " characters");
        }
        return new ImageReference(registry, repository, tag, digest);
    }

    /** True when {@code text} names no registry: its first component has no '.' or ':' and is not localhost. */
    public static boolean isShortName(String text) {
        String name = text;
        int at = name.indexOf('@');
        if (at >= 0) {
            name = name.substring(0, at);
        }
        int slash = name.indexOf('/');
        if (slash < 0) {
            return true;
        }
        return !looksLikeDomain(name.substring(0, slash));
    }

    /** {@code [registry, repository]}; registry is "" when the name has none. */
    private static String[] splitDomain(String name) {
        int slash = name.indexOf('/');
        if (slash < 0 || !looksLikeDomain(name.substring(0, slash))) {
            return new String[] {"", name};
        }
        return new String[] {name.substring(0, slash), name.substring(slash + 1)};
    }

    private static boolean looksLikeDomain(String first) {
        // docker also takes an upper-case first component as a host: it cannot be a repository
        return first.indexOf('.') >= 0 || first.indexOf(':') >= 0 || first.equals("localhost")
                || !first.equals(first.toLowerCase(java.util.Locale.ROOT));
    }

    private static BerthException invalid(String text, String why) {
        return new BerthException(ErrorCode.IMAGE_INVALID, "parsing reference \"" + text + "\": invalid reference format: " + why);
    }

    /** {@code registry/repository}, without tag or digest. */
    public String name() {
        return registry + "/" + repository;
    }

    public boolean hasDigest() {
        return digest != null;
    }

    /** The tag or digest to ask the registry for (the digest when there is one: it is exact). */
    public String tagOrDigest() {
        return digest != null ? digest : tag;
    }

    public ImageReference withTag(String newTag) {
        return new ImageReference(registry, repository, newTag, null);
    }

    public ImageReference withDigest(String newDigest) {
        return new ImageReference(registry, repository, null, newDigest);
    }

    /** The same repository path on another registry (a mirror or a rewritten prefix keeps the path). */
    public ImageReference withName(String newRegistry, String newRepository) {
        return new ImageReference(newRegistry, newRepository, tag, digest);
    }

    /** The form docker prints: {@code busybox:latest}, {@code user/app:1}, {@code quay.io/a/b@sha256:...}. */
    public String familiar() {
        String name = name();
        if (registry.equals(DOCKER_HUB)) {
            name = repository.startsWith("library/") && repository.indexOf('/', 8) < 0 ? repository.substring(8) : repository;
        }
        return name + suffix();
    }

    private String suffix() {
        return (tag == null ? "" : ":" + tag) + (digest == null ? "" : "@" + digest);
    }

    /** The full form: {@code docker.io/library/busybox:latest}. */
    @Override
    public String toString() {
        return name() + suffix();
    }
}
