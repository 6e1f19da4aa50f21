package berth.engine.internal;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.model.ImageConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * podman's rules for how an image's config and the user's flags combine (specgen's makeCommand and
 * friends): the user's value wins where given, the image's fills the rest.
 */
final class ImageDefaults {
    private ImageDefaults() {
    }

    /**
     * The command line: the entrypoint ({@code --entrypoint}, else the image's; a single empty string
     * means none), then the user's command, else the image's Cmd, but only when the user did not set an
     * entrypoint.
     */
    static List<String> command(ImageConfig image, List<String> userEntrypoint, List<String> userCommand, String imageName) {
        List<String> entrypoint = userEntrypoint != null ? userEntrypoint : image.entrypoint();
        List<String> out = new ArrayList<>();
        if (!(entrypoint.size() == 1 && entrypoint.get(0).isEmpty())) {
            out.addAll(entrypoint);
        }
        List<String> cmd = userCommand;
        if (cmd.isEmpty() && (userEntrypoint == null || userEntrypoint.isEmpty())) {
            cmd = image.cmd();
        }
        out.addAll(cmd);
        if (out.isEmpty()) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "no command or entrypoint provided, and no CMD or ENTRYPOINT"
                    + " from image " + imageName);
        }
        return out;
    }

    /** The image's environment, then the user's: a user's KEY replaces the image's. */
    static List<String> env(ImageConfig image, List<String> user) {
        Map<String, String> byKey = new LinkedHashMap<>();
        for (String e : image.env()) {
            byKey.put(key(e), e);
        }
        for (String e : user) {
            byKey.put(key(e), e);
        }
        return List.copyOf(byKey.values());
    }

    /** The image's labels, overridden by the user's. */
    static Map<String, String> labels(ImageConfig image, Map<String, String> user) {
        Map<String, String> out = new LinkedHashMap<>(image.labels());
        out.putAll(user);
        return out;
    }

    static String orImage(String user, String image) {
        return user != null && !user.isEmpty() ? user : image.isEmpty() ? null : image;
    }

    private static String key(String env) {
        int eq = env.indexOf('=');
        return eq < 0 ? env : env.substring(0, eq);
    }
}
