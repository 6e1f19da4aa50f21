package berth.image.support.reference;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import java.util.ArrayList;
import java.util.List;

/**
 * Short-name resolution as containers/image does it, without ever prompting (berth treats every
 * short-name mode as permissive: all candidates are tried in order).
 */
public final class ShortNames {
    private final RegistriesConf conf;

    public ShortNames(RegistriesConf conf) {
        this.conf = conf;
    }

    /**
     * The references to pull for {@code userInput}, in order. A fully-qualified name is itself; a
     * short name resolves to its alias alone when it has one, else to each unqualified-search
     * registry. The tag or digest of the input is kept.
     */
    public List<ImageReference> candidates(String userInput) {
        if (!ImageReference.isShortName(userInput)) {
            return List.of(ImageReference.parse(userInput));
        }
        ImageReference alias = alias(userInput);
        if (alias != null) {
            return List.of(alias);
        }
        if (conf.unqualifiedSearchRegistries().isEmpty()) {
            String origin = conf.searchOrigin();
            throw new BerthException(ErrorCode.IMAGE_TRANSPORT, "short-name \"" + userInput + "\" did not resolve to an alias and "
                    + (origin.isEmpty() ? "no containers-registries.conf(5) was found"
                    : "no unqualified-search registries are defined in \"" + origin + "\""));
        }
        return searched(userInput);
    }

    /**
     * The names a short name may have in local storage, in order: its alias, {@code localhost/},
     * then each unqualified-search registry (containers/image's ResolveLocally).
     */
    public List<ImageReference> localCandidates(String userInput) {
        if (!ImageReference.isShortName(userInput)) {
            return List.of(ImageReference.parse(userInput));
        }
        List<ImageReference> out = new ArrayList<>();
        ImageReference alias = alias(userInput);
        if (alias != null) {
            out.add(alias);
        }
        out.add(ImageReference.parse("localhost/" + userInput));
        for (ImageReference r : searched(userInput)) {
            if (!out.contains(r)) {
                out.add(r);
            }
        }
        return out;
    }

    private List<ImageReference> searched(String userInput) {
        List<ImageReference> out = new ArrayList<>();
        for (String registry : conf.unqualifiedSearchRegistries()) {
            out.add(ImageReference.parse(registry + "/" + userInput));
        }
        return out;
    }

    /** The alias for the input's name (tag and digest are kept from the input), or null. */
    private ImageReference alias(String userInput) {
        ImageReference parsed = ImageReference.parse(userInput); // validates the input first
        String name = userInput;
        int at = name.indexOf('@');
        if (at >= 0) {
            name = name.substring(0, at);
        }
        int colon = name.lastIndexOf(':');
        if (colon > name.lastIndexOf('/')) {
            name = name.substring(0, colon);
        }
        String target = conf.aliases().get(name);
        if (target == null) {
            return null;
        }
        ImageReference base = ImageReference.parse(target);
        return new ImageReference(base.registry(), base.repository(), parsed.tag(), parsed.digest());
    }
}
