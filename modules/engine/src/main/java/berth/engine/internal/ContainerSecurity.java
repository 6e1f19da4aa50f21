package berth.engine.internal;

import berth.engine.ContainerDefaults;
import berth.engine.CreateOptions;
import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.model.Rlimit;
import berth.kernel.trace.Trace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A new container's capabilities, rlimits and seccomp filter, fixed at create time as podman fixes
 * them in the spec it records: containers.conf's {@code [containers]} defaults, then the flags.
 */
record ContainerSecurity(List<String> capabilities, List<Rlimit> rlimits, String seccompFilter) {
    /** containers/common 0.50's default capabilities, as podman puts them in the spec (sorted). */
    static final List<String> DEFAULT_CAPS = List.of("CAP_AUDIT_WRITE", "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FOWNER",
            "CAP_FSETID", "CAP_KILL", "CAP_MKNOD", "CAP_NET_BIND_SERVICE", "CAP_NET_RAW", "CAP_SETFCAP", "CAP_SETGID",
            "CAP_SETPCAP", "CAP_SETUID", "CAP_SYS_CHROOT");
    /** containers/common's SeccompOverridePath and SeccompDefaultPath, in podman's order. */
    static final String OVERRIDE_PROFILE = "/etc/containers/seccomp.json";
    static final String DEFAULT_PROFILE = "/usr/share/containers/seccomp.json";

    /**
     * {@code cacheDir}: where translations are cached by profile (SeccompCache, run root);
     * {@code filterDir}: where the filters containers use are kept by content (SeccompFilters, static dir).
     */
    static ContainerSecurity resolve(CreateOptions o, ContainerDefaults defaults, String container, Path cacheDir, Path filterDir) {
        // null when nothing configures them: the spec then gets the engine's own limits, worked out where
        // it runs, and podman's record none (podman itself would start such a container with its own)
        List<Rlimit> rlimits = Ulimits.resolve(o.ulimits(), defaults.ulimits());
        String profile = null;
        for (String opt : o.securityOpts()) {
            int eq = opt.indexOf('=');
            String key = eq < 0 ? opt : opt.substring(0, eq);
            if (key.equals("seccomp")) {
                if (eq < 0) {
                    throw new BerthException(ErrorCode.INVALID_ARGUMENT, "invalid --security-opt 1: \"" + opt + "\"");
                }
                profile = opt.substring(eq + 1);
            } else {
                throw new BerthException(ErrorCode.INVALID_ARGUMENT, "container " + container + ": unsupported --security-opt \""
                        + opt + "\" (berth knows seccomp=unconfined and seccomp=PROFILE)");
            }
        }
        if (profile == null || profile.isEmpty()) {
            profile = defaults.seccompProfile() != null && !defaults.seccompProfile().isEmpty() ? defaults.seccompProfile() : defaultProfile();
        }
        List<String> add = CapabilitySets.canonical(o.settings().capAdd());
        List<String> drop = CapabilitySets.canonical(o.settings().capDrop());
        List<String> capabilities = CapabilitySets.merge(o.privileged() ? Privileged.capabilities() : DEFAULT_CAPS, add, drop,
                add.contains(CapabilitySets.ALL) ? Privileged.capabilities() : List.of());
        String seccomp = null;
        boolean defaultOne = profile.isEmpty() || profile.equals(OVERRIDE_PROFILE) || profile.equals(DEFAULT_PROFILE);
        // podman: unconfined, or privileged with no profile of the user's own, means no filter
        if (!profile.equals("unconfined") && !(o.privileged() && defaultOne) && !profile.isEmpty()) {
            // the profile's rules depend on the capabilities (CAP_SYS_ADMIN opens mount, say)
            seccomp = SeccompCache.filterFor(Path.of(profile), capabilities, cacheDir, filterDir);
            Trace.mark("create: seccomp profile");
        }
        return new ContainerSecurity(capabilities, rlimits, seccomp);
    }

    /** podman's DefaultSeccompPath: the administrator's profile, else the packaged one, else none (""). */
    static String defaultProfile() {
        if (Files.exists(Path.of(OVERRIDE_PROFILE))) {
            return OVERRIDE_PROFILE;
        }
        return Files.exists(Path.of(DEFAULT_PROFILE)) ? DEFAULT_PROFILE : "";
    }
}
