package berth.image.support.archive;

import java.io.IOException;
import java.util.regex.Pattern;

/**
 * Normalises a {@code name:tag} as containers/image compares docker-archive RepoTags: a short name
 * gains {@code docker.io/} (and {@code library/} when it has one component) and {@code :latest}
 * when untagged, so {@code busybox} and {@code docker.io/library/busybox:latest} are the same tag.
 */
final class DockerTags {
    private static final Pattern PATH = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*");
    private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");

    private DockerTags() {
    }

    static String normalize(String ref) throws IOException {
        if (ref.contains("@")) {
            throw new IOException("docker-archive doesn't support digest references: " + ref);
        }
        int slash = ref.lastIndexOf('/');
        int colon = ref.lastIndexOf(':');
        String name = ref;
        String tag = "latest";
        if (colon > slash) {
            name = ref.substring(0, colon);
            tag = ref.substring(colon + 1);
        }
        if (!TAG.matcher(tag).matches()) {
            throw new IOException("invalid reference format: invalid tag \"" + tag + "\" in " + ref);
        }
        String domain = "docker.io";
        String path = name;
        int first = name.indexOf('/');
        if (first > 0) {
            String head = name.substring(0, first);
            if (head.contains(".") || head.contains(":") || head.equals("localhost")) {
                domain = head.equals("index.docker.io") ? "docker.io" : head;
                path = name.substring(first + 1);
            }
        }
        if (domain.equals("docker.io") && !path.contains("/")) {
            path = "library/" + path;
        }
        if (!PATH.matcher(path).matches()) {
            throw new IOException("invalid reference format: repository name must be lowercase: " + ref);
        }
        return domain + "/" + path + ":" + tag;
    }
}
