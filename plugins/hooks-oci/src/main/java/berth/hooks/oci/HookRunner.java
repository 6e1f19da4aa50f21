package berth.hooks.oci;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.spi.hook.SpecHook;
import berth.support.Subprocess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs one OCI hook process the way a runtime does (runtime spec, config.md#posix-platform-hooks):
 * the executable {@code path}, argv {@code args} (args[0] is argv0; empty args mean argv {@code
 * [path]}), exactly the environment {@code env}, the state document on stdin, and the {@code timeout}
 * enforced by killing the hook and its descendants ({@link Subprocess} does the running; this class
 * says what to run and words the errors).
 *
 * <p>berth uses it for the hooks it must run itself ({@code poststop}, after the runtime is done;
 * see {@link PoststopHook}). It is a public final class so that it can move unchanged into the
 * kernel (say {@code berth.kernel.spi.hook.HookRunner}) should the engine ever need to run a
 * {@link SpecHook} itself; plugins export nothing, so today only this plugin calls it.
 *
 * <p>{@link ProcessBuilder} always passes the executable as argv0. When args[0] differs from the
 * path (multi-call binaries such as busybox dispatch on it), the hook is started through
 * {@code perl -e 'exec {PATH} ARGV'}, which sets argv0 and leaves the environment untouched; without
 * perl, argv0 falls back to the path.
 */
public final class HookRunner {
    /** After a normal exit, how long to wait for output still held open by a process the hook left behind. */
    static final long DRAIN_AFTER_EXIT_MILLIS = 2_000;
    /** Output kept per stream; the rest is read and dropped. */
    static final int MAX_CAPTURE = 64 * 1024;

    private static final List<Path> PERL_CANDIDATES = List.of(Path.of("/usr/bin/perl"), Path.of("/bin/perl"));
    private static final String ARGV0_TRAMPOLINE = "my $d = shift; delete $ENV{PERL_BADLANG} if $d; my $p = shift; "
            + "exec {$p} @ARGV; print STDERR \"cannot execute $p: $!\\n\"; exit 127;";

    /** What a hook that succeeded wrote. */
    public record Output(String stdout, String stderr) {
    }

    private HookRunner() {
    }

    /**
     * Runs {@code hook} with {@code stdin} as its standard input and waits for it.
     *
     * @return its output, when it exited 0 in time
     * @throws BerthException {@link ErrorCode#HOOK_FAILED} when it cannot be started, exits
     *     non-zero (the message names the hook, the exit code and its stderr), or is still running
     *     after {@code timeoutSeconds} (the message says "timed out after N s"); also when the
     *     calling thread is interrupted while waiting, after killing the hook
     */
    public static Output run(SpecHook hook, byte[] stdin) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String e : hook.env()) {
            int eq = e.indexOf('=');
            if (eq > 0) {
                env.put(e.substring(0, eq), e.substring(eq + 1));
            }
        }
        boolean trampoline = needsArgv0(hook) && perl() != null;
        boolean addedBadlang = false;
        if (trampoline && !env.containsKey("PERL_BADLANG")) {
            // Keeps perl quiet about locales the hook's env names but the host lacks; removed again before exec.
            env.put("PERL_BADLANG", "0");
            addedBadlang = true;
        }
        Subprocess.Result r;
        try {
            r = Subprocess.of(command(hook, trampoline, addedBadlang))
                    .clearEnvironment()
                    .environment(env)
                    .stdin(stdin)
                    .timeoutMillis(hook.timeoutSeconds() > 0 ? hook.timeoutSeconds() * 1000L : 0)
                    .captureLimit(MAX_CAPTURE)
                    .drainAfterExitMillis(DRAIN_AFTER_EXIT_MILLIS)
                    .run();
        } catch (Subprocess.Failed f) {
            throw new BerthException(ErrorCode.HOOK_FAILED, describe(hook) + switch (f.kind()) {
                case START -> " could not be started: " + f.detail();
                case TIMEOUT -> " timed out after " + hook.timeoutSeconds() + " s; killed it" + stderrSuffix(f.partial().stderr());
                default -> " was interrupted; killed it";
            }, f.getCause());
        }
        if (r.exitCode() != 0) {
            throw new BerthException(ErrorCode.HOOK_FAILED, describe(hook) + " exited with code " + r.exitCode()
                    + stderrSuffix(r.stderr()));
        }
        return new Output(r.stdout(), r.stderr());
    }

    /** True when args[0] is given and is not the path, so argv0 must be set apart from the executable. */
    static boolean needsArgv0(SpecHook hook) {
        return !hook.args().isEmpty() && !hook.args().get(0).equals(hook.path());
    }

    /**
     * The argv to start: the hook itself (argv0 is then the path), or, when {@code trampoline}, perl
     * exec'ing the hook with its args[0] as argv0.
     */
    static List<String> command(SpecHook hook, boolean trampoline, boolean deleteBadlang) {
        List<String> args = hook.args();
        List<String> cmd = new ArrayList<>();
        if (!trampoline) {
            cmd.add(hook.path());
            cmd.addAll(args.isEmpty() ? List.of() : args.subList(1, args.size()));
            return cmd;
        }
        cmd.add(perl().toString());
        cmd.add("-e");
        cmd.add(ARGV0_TRAMPOLINE);
        cmd.add(deleteBadlang ? "1" : "0");
        cmd.add(hook.path());
        cmd.addAll(args);
        return cmd;
    }

    private static Path perl() {
        for (Path p : PERL_CANDIDATES) {
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    static String describe(SpecHook hook) {
        return hook.stage().specName() + " hook " + hook.path()
                + (hook.source() == null || hook.source().isEmpty() ? "" : " (from " + hook.source() + ")");
    }

    private static String stderrSuffix(String stderr) {
        String s = stderr.strip();
        return s.isEmpty() ? "" : "; stderr: " + s;
    }
}
