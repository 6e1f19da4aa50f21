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

    /** The constructor {@link java.util.ServiceLoader} uses: problems go to the {@code berth.hooks.oci} logger. */
    public OciHooksProvider() {
        this(new LoggerSink());
    }

    /** Problems with hook files (one message per problem, naming the file and the field) go to {@code warnings}. */
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

    /** A named class rather than a lambda, so constructing the provider bootstraps nothing. */
    private static final class LoggerSink implements Consumer<String> {
        @Override
        public void accept(String message) {
            System.getLogger("berth.hooks.oci").log(System.Logger.Level.WARNING, message);
        }
    }
}
