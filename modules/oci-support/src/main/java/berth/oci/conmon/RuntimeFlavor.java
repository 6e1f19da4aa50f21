package berth.oci.conmon;

import berth.kernel.spi.runtime.RuntimeFeatures;
import java.util.List;

/**
 * What distinguishes one OCI-CLI runtime from another when driven through conmon: its name, the
 * global arguments it needs, and what it supports. A runtime plugin is little more than one of these.
 *
 * @param globalArgs arguments placed before every subcommand (after {@code --root})
 * @param supportsRoot whether the runtime takes {@code --root DIR} for its state
 * @param supportsJsonLog whether it takes {@code --log-format=json --log FILE}
 */
public record RuntimeFlavor(String name, List<String> globalArgs, boolean supportsRoot, boolean supportsJsonLog,
                            RuntimeFeatures features) {
    public RuntimeFlavor {
        globalArgs = List.copyOf(globalArgs);
    }
}
