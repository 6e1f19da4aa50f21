package berth.oci.conmon;

import berth.kernel.json.Json;
import berth.kernel.json.JsonObject;
import berth.oci.natives.LibSeccomp;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Compiles a spec's {@code linux.seccomp} section to the BPF program crun would make from it, by the
 * same libseccomp calls in the same order (crun 1.8's libcrun_generate_seccomp): the default action,
 * the architectures, then each rule whose action differs from the default, one call per known
 * syscall name; a rule that compares one argument twice becomes one call per comparison. crun
 * takes the result as {@code run.oci.seccomp_bpf_data} instead of compiling the JSON at every create.
 *
 * <p>Anything crun would refuse or warn about (an unknown action, operator or architecture, an
 * errno for an action without one, an index past 5, a value past 64 bits) and a NOTIFY rule (its
 * listener is crun's to set up) give empty: crun then
 * compiles the section itself and reports it in its own words.
 */
final class SeccompPrecompiler {
    /** libseccomp's action values (seccomp.h). */
    private static final int ACT_KILL_THREAD = 0x00000000;
    private static final int ACT_KILL_PROCESS = 0x80000000;
    private static final int ACT_TRAP = 0x00030000;
    private static final int ACT_ERRNO = 0x00050000;
    private static final int ACT_TRACE = 0x7ff00000;
    private static final int ACT_LOG = 0x7ffc0000;
    private static final int ACT_ALLOW = 0x7fff0000;
    private static final int EPERM = 1;
    private static final List<String> OPERATORS = List.of("SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE", "SCMP_CMP_EQ",
            "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_MASKED_EQ"); // enum scmp_compare, from 1

    private SeccompPrecompiler() {
    }

    /** The program for the section's JSON text, or empty when crun should compile it itself. */
    static Optional<byte[]> compile(String sectionJson) {
        JsonObject s;
        try {
            s = Json.parseObject(sectionJson);
        } catch (java.io.IOException e) {
            return Optional.empty();
        }
        Optional<Integer> defaultAction = action(s.str("defaultAction", ""), s, "defaultErrnoRet");
        if (defaultAction.isEmpty()) {
            return Optional.empty();
        }
        List<Integer> archs = new ArrayList<>();
        for (String arch : s.strings("architectures")) {
            String name = arch.startsWith("SCMP_ARCH_") ? arch.substring(10) : arch;
            int token = LibSeccomp.resolveArch(name.toLowerCase(Locale.ROOT));
            if (token == 0) {
                return Optional.empty();
            }
            archs.add(token);
        }
        List<LibSeccomp.Rule> rules = new ArrayList<>();
        for (JsonObject group : s.objects("syscalls")) {
            Optional<Integer> action = action(group.str("action", ""), group, "errnoRet");
            Optional<List<LibSeccomp.ArgCmp>> args = args(group.objects("args"));
            if (action.isEmpty() || args.isEmpty()) {
                return Optional.empty();
            }
            if (action.get().equals(defaultAction.get())) {
                continue;
            }
            for (String name : group.strings("names")) {
                int nr = LibSeccomp.resolveSyscall(name);
                if (nr == -1) {
                    continue; // crun warns and skips a name libseccomp does not know
                }
                addRules(rules, action.get(), nr, args.get());
            }
        }
        return Optional.of(LibSeccomp.compile(defaultAction.get(), archs, rules));
    }

    /** One call with every comparison, or one call per comparison when an argument is compared twice. */
    private static void addRules(List<LibSeccomp.Rule> rules, int action, int nr, List<LibSeccomp.ArgCmp> args) {
        boolean[] seen = new boolean[6];
        boolean repeated = false;
        for (LibSeccomp.ArgCmp a : args) {
            repeated |= seen[a.index()];
            seen[a.index()] = true;
        }
        if (!repeated) {
            rules.add(new LibSeccomp.Rule(action, nr, args));
            return;
        }
        for (LibSeccomp.ArgCmp a : args) {
            rules.add(new LibSeccomp.Rule(action, nr, List.of(a)));
        }
    }

    /** crun reads at most six comparisons; each index must be below six. */
    private static Optional<List<LibSeccomp.ArgCmp>> args(List<JsonObject> args) {
        List<LibSeccomp.ArgCmp> out = new ArrayList<>();
        for (int k = 0; k < args.size() && k < 6; k++) {
            JsonObject a = args.get(k);
            long index = a.lng("index", -1);
            int op = OPERATORS.indexOf(a.str("op", "")) + 1;
            if (index < 0 || index >= 6 || op == 0 || !integral(a, "value") || !integral(a, "valueTwo")) {
                return Optional.empty();
            }
            out.add(new LibSeccomp.ArgCmp((int) index, op, a.lng("value", 0), a.lng("valueTwo", 0)));
        }
        return Optional.of(out);
    }

    private static boolean integral(JsonObject o, String key) {
        Object v = o.raw(key);
        return v == null || v instanceof Long || v instanceof Integer;
    }

    /** crun's get_seccomp_action; an errno is allowed for ERRNO and TRACE only, EPERM when absent. */
    private static Optional<Integer> action(String name, JsonObject holder, String errnoKey) {
        boolean takesErrno = name.equals("SCMP_ACT_ERRNO") || name.equals("SCMP_ACT_TRACE");
        if (holder.has(errnoKey) && (!takesErrno || !integral(holder, errnoKey))) {
            return Optional.empty();
        }
        int errno = (int) holder.lng(errnoKey, EPERM) & 0xffff;
        switch (name) {
            case "SCMP_ACT_ALLOW":
                return Optional.of(ACT_ALLOW);
            case "SCMP_ACT_ERRNO":
                return Optional.of(ACT_ERRNO | errno);
            case "SCMP_ACT_KILL":
            case "SCMP_ACT_KILL_THREAD":
                return Optional.of(ACT_KILL_THREAD);
            case "SCMP_ACT_KILL_PROCESS":
                return Optional.of(ACT_KILL_PROCESS);
            case "SCMP_ACT_LOG":
                return Optional.of(ACT_LOG);
            case "SCMP_ACT_TRAP":
                return Optional.of(ACT_TRAP);
            case "SCMP_ACT_TRACE":
                return Optional.of(ACT_TRACE | errno);
            // NOTIFY is left to crun: it needs a listener set up beside the filter
            default:
                return Optional.empty();
        }
    }
}
