package berth.hooks.oci;

import berth.kernel.spi.hook.HookContext;
import berth.kernel.spi.hook.HookProvider;
import berth.kernel.spi.hook.HookSet;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Provider of OCI hook files, id {@code oci-hooks}. Cheap to load: it holds no state and touches
 * neither the file system nor RE2/J until {@link #hooksFor} is called.
 */
public final class OciHooksProvider implements HookProvider {
    static final String ID = "oci-hooks";

    private final Consumer<String> warnings;

    /**
     * The constructor {@link java.util.ServiceLoader} uses: problems with hook files are returned in
     * {@link HookSet#warnings()}, for the engine to show.
     */
    public OciHooksProvider() {
        this.warnings = null;
    }

    /**
     * Problems with hook files (one message per problem, naming the file and the field) are returned
     * in {@link HookSet#warnings()} and also given to {@code warnings}.
     */
    OciHooksProvider(Consumer<String> warnings) {
        this.warnings = Objects.requireNonNull(warnings, "warnings");
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "OCI hook files (oci-hooks(5) schema 1.0.0) from hooks directories";
    }

    @Override
    public HookSet hooksFor(HookContext context) {
        return HookSelection.select(context, warnings);
    }
}
