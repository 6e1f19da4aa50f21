package berth.oci.natives;

import com.sun.jna.Function;
import com.sun.jna.Memory;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * libseccomp, the library crun compiles a spec's seccomp section with: a filter context, its
 * architectures and rules, and the BPF program it exports. Loaded by soname on first use, only when
 * a filter is compiled (once per profile: the program is kept, see the conmon package's
 * {@code SeccompBpfCache}). Calls go through JNA {@link Function} handles, as in {@link LibC}.
 */
public final class LibSeccomp {
    /** One argument comparison ({@code struct scmp_arg_cmp}): arg, op, datum_a, datum_b. */
    public record ArgCmp(int index, int op, long datumA, long datumB) {
    }

    /** One {@code seccomp_rule_add_array} call. */
    public record Rule(int action, int syscall, List<ArgCmp> args) {
        public Rule {
            args = List.copyOf(args);
        }
    }

    /** {@code sizeof(struct scmp_arg_cmp)} on 64-bit Linux: two unsigned ints and two uint64s. */
    private static final int ARG_CMP_SIZE = 24;
    private static final int MFD_CLOEXEC = 1;

    private LibSeccomp() {
    }

    /** Loaded on first use: most commands never compile a filter. */
    private static final class Lib {
        static final NativeLibrary SECCOMP = NativeLibrary.getInstance("libseccomp.so.2");
        static final NativeLibrary C = NativeLibrary.getInstance("libc.so.6");
    }

    /** The syscall's number on the native architecture, or -1 ({@code __NR_SCMP_ERROR}) when libseccomp does not know it. */
    public static int resolveSyscall(String name) {
        return Lib.SECCOMP.getFunction("seccomp_syscall_resolve_name").invokeInt(new Object[] {name});
    }

    /** The architecture token for a lower-case name ("x86_64", "x32"), or 0 when unknown. */
    public static int resolveArch(String name) {
        return Lib.SECCOMP.getFunction("seccomp_arch_resolve_name").invokeInt(new Object[] {name});
    }

    /** "major.minor.micro" of the loaded library. */
    public static String version() {
        Pointer v = Lib.SECCOMP.getFunction("seccomp_version").invokePointer(new Object[0]);
        return v.getInt(0) + "." + v.getInt(4) + "." + v.getInt(8);
    }

    /** The file the loaded library was mapped from (from /proc/self/maps), or null. */
    public static Path libraryFile() {
        Lib.SECCOMP.getName(); // loads it
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
                int slash = line.indexOf('/');
                if (slash > 0 && line.contains("libseccomp.so")) {
                    return Path.of(line.substring(slash));
                }
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }

    /**
     * The BPF program libseccomp makes from a filter context built with these calls, in this order:
     * {@code seccomp_init(defaultAction)}, {@code seccomp_arch_add} for each token (an architecture
     * already present is not an error), {@code seccomp_rule_add_array} for each rule, then
     * {@code seccomp_export_bpf}.
     *
     * @throws IllegalStateException naming the call that failed and its errno
     */
    public static byte[] compile(int defaultAction, List<Integer> archTokens, List<Rule> rules) {
        Function release = Lib.SECCOMP.getFunction("seccomp_release");
        Pointer ctx = Lib.SECCOMP.getFunction("seccomp_init").invokePointer(new Object[] {defaultAction});
        if (ctx == null) {
            throw new IllegalStateException("seccomp_init failed");
        }
        try {
            Function archAdd = Lib.SECCOMP.getFunction("seccomp_arch_add");
            for (int token : archTokens) {
                int rc = archAdd.invokeInt(new Object[] {ctx, token});
                if (rc < 0 && rc != -17) { // -EEXIST: the native architecture is there from the start
                    throw new IllegalStateException("seccomp_arch_add: errno " + -rc);
                }
            }
            Function ruleAdd = Lib.SECCOMP.getFunction("seccomp_rule_add_array");
            for (Rule r : rules) {
                Memory args = null;
                if (!r.args().isEmpty()) {
                    args = new Memory((long) ARG_CMP_SIZE * r.args().size());
                    for (int i = 0; i < r.args().size(); i++) {
                        ArgCmp a = r.args().get(i);
                        long at = (long) i * ARG_CMP_SIZE;
                        args.setInt(at, a.index());
                        args.setInt(at + 4, a.op());
                        args.setLong(at + 8, a.datumA());
                        args.setLong(at + 16, a.datumB());
                    }
                }
                int rc = ruleAdd.invokeInt(new Object[] {ctx, r.action(), r.syscall(), r.args().size(), args});
                if (rc < 0) {
                    throw new IllegalStateException("seccomp_rule_add_array for syscall " + r.syscall() + ": errno " + -rc);
                }
            }
            return export(ctx);
        } finally {
            release.invokeVoid(new Object[] {ctx});
        }
    }

    /** seccomp_export_bpf writes to a descriptor: an anonymous memory file, read back through /proc. */
    private static byte[] export(Pointer ctx) {
        int fd = Lib.C.getFunction("memfd_create").invokeInt(new Object[] {"berth-seccomp-bpf", MFD_CLOEXEC});
        if (fd < 0) {
            throw new IllegalStateException("memfd_create failed");
        }
        try {
            int rc = Lib.SECCOMP.getFunction("seccomp_export_bpf").invokeInt(new Object[] {ctx, fd});
            if (rc < 0) {
                throw new IllegalStateException("seccomp_export_bpf: errno " + -rc);
            }
            return Files.readAllBytes(Path.of("/proc/self/fd/" + fd));
        } catch (IOException e) {
            throw new IllegalStateException("reading the exported seccomp program: " + e.getMessage(), e);
        } finally {
            Lib.C.getFunction("close").invokeInt(new Object[] {fd});
        }
    }
}
