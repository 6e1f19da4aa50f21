package berth.runtime.crun;

import berth.kernel.spi.runtime.OciRuntime;
import berth.kernel.spi.runtime.OciRuntimeProvider;
import berth.kernel.spi.runtime.RuntimeEnvironment;
import berth.kernel.spi.runtime.RuntimeFeature;
import java.util.EnumSet;
import berth.oci.conmon.ConmonOciRuntime;
import berth.oci.conmon.RuntimeFlavor;
import java.util.List;

/** crun, the C OCI runtime: podman's default and the fastest to start. */
public final class CrunProvider implements OciRuntimeProvider {
    private static final RuntimeFlavor FLAVOR = new RuntimeFlavor("crun", List.of(), true, true,
            EnumSet.of(RuntimeFeature.PAUSE, RuntimeFeature.KILL_ALL, RuntimeFeature.EXEC,
                    RuntimeFeature.JOIN_NETNS, RuntimeFeature.NEW_NETNS, RuntimeFeature.CLEANUP_COMMAND, RuntimeFeature.TERMINAL), true);

    @Override
    public String id() {
        return "crun";
    }

    @Override
    public String description() {
        return "crun through conmon";
    }

    @Override
    public List<String> defaultPaths() {
        return List.of("/usr/bin/crun", "/usr/sbin/crun", "/usr/local/bin/crun");
    }

    @Override
    public OciRuntime create(RuntimeEnvironment environment) {
        return ConmonOciRuntime.create(FLAVOR, defaultPaths(), environment);
    }
}
