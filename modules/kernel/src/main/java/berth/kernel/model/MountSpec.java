package berth.kernel.model;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import java.util.List;

/** A mount into the container: a bind mount from {@code -v} or a tmpfs from {@code --tmpfs}. */
public record MountSpec(String type, String source, String destination, List<String> options) {
    public MountSpec {
        options = List.copyOf(options);
        if (destination == null || !destination.startsWith("/")) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "mount destination must be an absolute path: " + destination);
        }
    }

    /** Parses {@code -v host:ctr[:ro|rw[,...]]}. */
    public static MountSpec parseVolume(String spec) {
        String[] parts = spec.split(":", -1); // -1: a trailing empty part ("/a:/b:") is an error, not dropped
        if (parts.length < 2 || parts.length > 3 || parts[0].isEmpty()) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "invalid volume \"" + spec + "\": expected HOST-DIR:CONTAINER-DIR[:OPTIONS]");
        }
        if (!parts[0].startsWith("/")) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "invalid volume \"" + spec + "\": named volumes are not supported, give an absolute host path");
        }
        List<String> opts = parts.length == 3 ? List.of(parts[2].split(",", -1)) : List.of();
        for (String o : opts) {
            if (!List.of("ro", "rw", "z", "Z", "rbind", "bind", "private", "rprivate", "shared", "rshared", "slave", "rslave").contains(o)) {
                throw new BerthException(ErrorCode.INVALID_ARGUMENT, "invalid volume option \"" + o + "\" in \"" + spec + "\"");
            }
        }
        requireAbsolute(parts[1], "volume", spec);
        return new MountSpec("bind", parts[0], parts[1], opts);
    }

    /** Parses {@code --tmpfs /dir[:opts]}. */
    public static MountSpec parseTmpfs(String spec) {
        int colon = spec.indexOf(':');
        String dest = colon < 0 ? spec : spec.substring(0, colon);
        List<String> opts = colon < 0 ? List.of("rw", "noexec", "nosuid", "nodev") : List.of(spec.substring(colon + 1).split(",", -1));
        requireAbsolute(dest, "tmpfs", spec);
        if (opts.contains("")) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "invalid tmpfs \"" + spec + "\": empty mount option");
        }
        return new MountSpec("tmpfs", "tmpfs", dest, opts);
    }

    /** The constructor's check, with a message that names the whole spec the user gave. */
    private static void requireAbsolute(String destination, String what, String spec) {
        if (!destination.startsWith("/")) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "invalid " + what + " \"" + spec
                    + "\": the container directory must be an absolute path");
        }
    }

    public boolean readOnly() {
        return options.contains("ro");
    }
}
