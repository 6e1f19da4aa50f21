package berth.runtime.runc;

import berth.kernel.spi.runtime.OciRuntime;
import berth.kernel.spi.runtime.OciRuntimeProvider;
import berth.kernel.spi.runtime.RuntimeEnvironment;
import berth.kernel.spi.runtime.RuntimeFeature;
import java.util.EnumSet;
import berth.oci.conmon.ConmonOciRuntime;
import berth.oci.conmon.RuntimeFlavor;
import java.util.List;

/** runc, the reference OCI runtime. */
public final class RuncProvider implements OciRuntimeProvider {
    private static final RuntimeFlavor FLAVOR = new RuntimeFlavor("runc", List.of(), true, true,
            EnumSet.of(RuntimeFeature.PAUSE, RuntimeFeature.KILL_ALL, RuntimeFeature.EXEC,
                    RuntimeFeature.JOIN_NETNS, RuntimeFeature.NEW_NETNS, RuntimeFeature.CLEANUP_COMMAND, RuntimeFeature.TERMINAL));

    @Override
    public String id() {
        return "runc";
    }

    @Override
    public String description() {
        return "runc through conmon";
    }

    @Override
    public List<String> defaultPaths() {
        return List.of("/usr/bin/runc", "/usr/sbin/runc", "/usr/local/bin/runc", "/usr/lib/cri-o-runc/sbin/runc");
    }

    @Override
    public OciRuntime create(RuntimeEnvironment environment) {
        return ConmonOciRuntime.create(FLAVOR, defaultPaths(), environment);
    }
}
