package berth.runtime.runsc;

import berth.kernel.spi.runtime.OciRuntime;
import berth.kernel.spi.runtime.OciRuntimeProvider;
import berth.kernel.spi.runtime.RuntimeEnvironment;
import berth.kernel.spi.runtime.RuntimeFeature;
import java.util.EnumSet;
import berth.oci.conmon.ConmonOciRuntime;
import berth.oci.conmon.RuntimeFlavor;
import java.util.List;

/**
 * gVisor's runsc: an application kernel in user space. No checkpoint through CRIU; no kill --all;
 * it cannot join a network namespace (no JOIN_NETNS), so berth sets up no network for it.
 * Runs with {@code --network=none} (gVisor's own loopback only): the Debian build (2022-12) refuses
 * every network namespace on this kernel ("cannot run with network enabled in root network namespace"),
 * even one handed to it by path, so berth's network backends do not apply to runsc containers.
 */
public final class RunscProvider implements OciRuntimeProvider {
    private static final RuntimeFlavor FLAVOR = new RuntimeFlavor("runsc", List.of("--network=none"), true, true,
            EnumSet.of(RuntimeFeature.PAUSE, RuntimeFeature.EXEC, RuntimeFeature.NEW_NETNS,
                    RuntimeFeature.CLEANUP_COMMAND, RuntimeFeature.TERMINAL));

    @Override
    public String id() {
        return "runsc";
    }

    @Override
    public String description() {
        return "gVisor runsc through conmon";
    }

    @Override
    public List<String> defaultPaths() {
        return List.of("/usr/bin/runsc", "/usr/sbin/runsc", "/usr/local/bin/runsc");
    }

    @Override
    public OciRuntime create(RuntimeEnvironment environment) {
        return ConmonOciRuntime.create(FLAVOR, defaultPaths(), environment);
    }
}
