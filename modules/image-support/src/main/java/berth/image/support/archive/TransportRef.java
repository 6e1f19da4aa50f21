package berth.image.support.archive;

import java.io.IOException;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * An image named with a transport, as podman's commands accept it: {@code docker-archive:PATH[:REF]},
 * {@code oci-archive:PATH[:REF]}, {@code oci:DIR[:REF]}, {@code docker://REFERENCE}, or a plain
 * registry reference. As in containers/image the path ends at the first colon (a path cannot
 * contain one): a docker-archive REF is a {@code name[:tag]} (normalised, {@code :latest} added)
 * or {@code @N}; an OCI REF is a ref name (OCI's annotation grammar), or {@code @N} for {@code oci:}.
 */
public sealed interface TransportRef {
    /** @param ref null (the only image), {@code @N}, or a normalised {@code domain/path:tag} */
    record DockerArchive(Path path, String ref) implements TransportRef {
        @Override
        public String toString() {
            return "docker-archive:" + path + (ref == null ? "" : ":" + ref);
        }
    }

    /** @param ref null (the only image) or a ref name */
    record OciArchive(Path path, String ref) implements TransportRef {
        @Override
        public String toString() {
            return "oci-archive:" + path + (ref == null ? "" : ":" + ref);
        }
    }

    /** @param ref null (the only image), {@code @N}, or a ref name */
    record OciDir(Path path, String ref) implements TransportRef {
        @Override
        public String toString() {
            return "oci:" + path + (ref == null ? "" : ":" + ref);
        }
    }

    /** @param reference as given after {@code docker://} (or the whole plain name); not yet normalised */
    record Registry(String reference) implements TransportRef {
        @Override
        public String toString() {
            return "docker://" + reference;
        }
    }

    /** containers/image's grammar for OCI ref names (image-spec annotations). */
    Pattern OCI_REF_NAME = Pattern.compile("[A-Za-z0-9]+(?:(?:[-._:@+]|--)[A-Za-z0-9]+)*(?:/[A-Za-z0-9]+(?:(?:[-._:@+]|--)[A-Za-z0-9]+)*)*");

    /**
     * Parses a transport-qualified image name.
     *
     * @throws IOException naming the string and what is wrong with it, including transports that
     *     exist in podman but not here ({@code dir:}, {@code docker-daemon:}, {@code containers-storage:})
     */
    static TransportRef parse(String s) throws IOException {
        if (s == null || s.isEmpty()) {
            throw new IOException("invalid image name \"\": it is empty");
        }
        if (s.startsWith("docker://")) {
            String rest = s.substring("docker://".length());
            if (rest.isEmpty()) {
                throw new IOException("invalid image name \"" + s + "\": no reference after docker://");
            }
            return new Registry(rest);
        }
        if (s.startsWith("docker-archive:")) {
            String rest = s.substring("docker-archive:".length());
            String[] pr = splitPath(s, rest);
            String ref = pr[1];
            if (ref != null && !ref.startsWith("@")) {
                ref = DockerTags.normalize(ref);
            } else if (ref != null) {
                index(s, ref);
            }
            return new DockerArchive(Path.of(pr[0]), ref);
        }
        if (s.startsWith("oci-archive:")) {
            String[] pr = splitPath(s, s.substring("oci-archive:".length()));
            validateOciRef(s, pr[1], false);
            return new OciArchive(Path.of(pr[0]), pr[1]);
        }
        if (s.startsWith("oci:")) {
            String[] pr = splitPath(s, s.substring("oci:".length()));
            validateOciRef(s, pr[1], true);
            return new OciDir(Path.of(pr[0]), pr[1]);
        }
        for (String unsupported : new String[] {"dir:", "docker-daemon:", "containers-storage:", "ostree:", "sif:", "tarball:"}) {
            if (s.startsWith(unsupported)) {
                throw new IOException("unsupported transport \"" + unsupported.substring(0, unsupported.length() - 1)
                        + "\" in \"" + s + "\": supported are docker://, docker-archive:, oci-archive: and oci:");
            }
        }
        return new Registry(s);
    }

    /** {path, ref or null}: the path ends at the first colon. */
    private static String[] splitPath(String whole, String rest) throws IOException {
        int colon = rest.indexOf(':');
        String path = colon < 0 ? rest : rest.substring(0, colon);
        String ref = colon < 0 ? null : rest.substring(colon + 1);
        if (path.isEmpty()) {
            throw new IOException("invalid image name \"" + whole + "\": no path before the reference");
        }
        return new String[] {path, ref == null || ref.isEmpty() ? null : ref};
    }

    private static void validateOciRef(String whole, String ref, boolean indexAllowed) throws IOException {
        if (ref == null) {
            return;
        }
        if (indexAllowed && ref.startsWith("@")) {
            index(whole, ref);
            return;
        }
        if (!OCI_REF_NAME.matcher(ref).matches()) {
            throw new IOException("invalid image name \"" + whole + "\": invalid image " + ref);
        }
    }

    private static int index(String whole, String ref) throws IOException {
        try {
            int i = Integer.parseInt(ref.substring(1));
            if (i < 0) {
                throw new IOException("invalid image name \"" + whole + "\": invalid source index " + ref + ": must not be negative");
            }
            return i;
        } catch (NumberFormatException e) {
            throw new IOException("invalid image name \"" + whole + "\": invalid source index " + ref + ": not an integer", e);
        }
    }
}
