package berth.engine.internal;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.model.Rlimit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A container's rlimits from podman's ulimit strings ({@code nofile=1024:2048}, {@code nproc=512},
 * {@code host}), by podman 4.3.1's rules: the {@code --ulimit} flags, when given, replace
 * containers.conf's {@code default_ulimits} (a string-slice flag's default); {@code host} means no
 * rlimits at all (the process keeps the runtime's); a later value of one type replaces the earlier in
 * place; and when nofile or nproc is left unset, it gets podman's 1048576.
 */
final class Ulimits {
    /** podman's RLimitDefaultValue: nofile and nproc when nothing sets them. */
    static final long PODMAN_DEFAULT = 1_048_576L;
    /** The names docker/go-units accepts. */
    private static final Set<String> NAMES = Set.of("core", "cpu", "data", "fsize", "locks", "memlock", "msgqueue", "nice",
            "nofile", "nproc", "rss", "rtprio", "rttime", "sigpending", "stack");

    private Ulimits() {
    }

    /**
     * The spec's rlimits for {@code flags} (the {@code --ulimit} values) over {@code defaults}
     * (containers.conf's, null when no file sets any): null when neither says anything, so the
     * engine's own limits apply.
     */
    static List<Rlimit> resolve(List<String> flags, List<String> defaults) {
        List<String> given = !flags.isEmpty() ? flags : defaults;
        if (given == null) {
            return null;
        }
        List<Rlimit> out = new ArrayList<>();
        for (String u : given) {
            if (u.equals("host")) {
                return List.of();
            }
            add(out, parse(u));
        }
        boolean nofile = false;
        boolean nproc = false;
        for (Rlimit r : out) {
            nofile |= r.type().equals("RLIMIT_NOFILE");
            nproc |= r.type().equals("RLIMIT_NPROC");
        }
        if (!nofile) {
            out.add(new Rlimit("RLIMIT_NOFILE", PODMAN_DEFAULT, PODMAN_DEFAULT));
        }
        if (!nproc) {
            out.add(new Rlimit("RLIMIT_NPROC", PODMAN_DEFAULT, PODMAN_DEFAULT));
        }
        return out;
    }

    /** One {@code name=soft[:hard]} (hard defaults to soft; -1 is unlimited), or INVALID_ARGUMENT naming the value. */
    static Rlimit parse(String u) {
        int eq = u.indexOf('=');
        if (eq < 0) {
            throw invalid(u, "invalid ulimit argument: " + u);
        }
        String name = u.substring(0, eq);
        if (!NAMES.contains(name)) {
            throw invalid(u, "invalid ulimit type: " + name);
        }
        String[] v = u.substring(eq + 1).split(":", -1);
        if (v.length > 2) {
            throw invalid(u, "too many limit value arguments - " + u.substring(eq + 1) + ", can only have up to two, `soft[:hard]`");
        }
        long soft = number(u, v[0]);
        long hard = v.length == 2 ? number(u, v[1]) : soft;
        if (hard != -1 && soft > hard) { // go-units' check, signed as there
            throw invalid(u, "ulimit soft limit must be less than or equal to hard limit: " + soft + " > " + hard);
        }
        return new Rlimit("RLIMIT_" + name.toUpperCase(Locale.ROOT), hard, soft);
    }

    /** podman's AddProcessRlimits: a type already present is replaced where it stands. */
    private static void add(List<Rlimit> out, Rlimit r) {
        for (int i = 0; i < out.size(); i++) {
            if (out.get(i).type().equals(r.type())) {
                out.set(i, r);
                return;
            }
        }
        out.add(r);
    }

    private static long number(String u, String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw invalid(u, "strconv.ParseInt: parsing \"" + s + "\": invalid syntax");
        }
    }

    private static BerthException invalid(String u, String why) {
        return new BerthException(ErrorCode.INVALID_ARGUMENT, "ulimit option \"" + u + "\" requires name=SOFT:HARD, failed to be parsed: " + why);
    }
}
