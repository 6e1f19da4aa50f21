package berth.hooks.oci;

import berth.kernel.spi.hook.HookContext;
import berth.kernel.spi.hook.HookProvider;
import berth.kernel.spi.hook.HookSet;
import java.nio.file.Path;
import java.util.List;

/** Run in a child JVM with -verbose:class by {@link CheapLoadTest}: constructs the provider, then selects hooks. */
public final class CheapLoadMain {
    private CheapLoadMain() {
    }

    public static void main(String[] args) {
        HookProvider provider = new OciHooksProvider();
        System.out.println("provider " + provider.id() + ": " + provider.description());
        System.out.println("MARK-CONSTRUCTED");
        System.out.flush();
        HookSet set = provider.hooksFor(new HookContext(Fixtures.container().build(), List.of(Path.of(args[0]))));
        System.out.println("MARK-SELECTED " + set.specHooks().size());
    }
}
