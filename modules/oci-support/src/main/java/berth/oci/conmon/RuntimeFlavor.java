package berth.oci.conmon;

import berth.kernel.spi.runtime.RuntimeFeature;
import java.util.List;
import java.util.Set;

/**
 * What distinguishes one OCI-CLI runtime from another when driven through conmon: its name, the
 * global arguments it needs, and what it supports. A runtime plugin is little more than one of these.
 *
 * @param globalArgs arguments placed before every subcommand (after {@code --root})
 * @param supportsRoot whether the runtime takes {@code --root DIR} for its state
 * @param supportsJsonLog whether it takes {@code --log-format=json --log FILE}
 * @param features what the runtime can do, as the engine will see it (conmon adds nothing)
 * @param takesCompiledSeccomp whether it loads a BPF program given as {@code run.oci.seccomp_bpf_data}
 *        (crun) instead of compiling the spec's seccomp section (see {@link SeccompBpfCache})
 */
public record RuntimeFlavor(String name, List<String> globalArgs, boolean supportsRoot, boolean supportsJsonLog,
                            Set<RuntimeFeature> features, boolean takesCompiledSeccomp) {
    public RuntimeFlavor {
        globalArgs = List.copyOf(globalArgs);
        features = Set.copyOf(features);
    }

    /** A runtime that compiles a spec's seccomp section itself. */
    public RuntimeFlavor(String name, List<String> globalArgs, boolean supportsRoot, boolean supportsJsonLog,
                         Set<RuntimeFeature> features) {
        this(name, globalArgs, supportsRoot, supportsJsonLog, features, false);
    }
}
