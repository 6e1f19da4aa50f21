package berth.hooks.oci;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.spi.hook.SpecHook;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one OCI hook process the way a runtime does (runtime spec, config.md#posix-platform-hooks):
 * the executable {@code path}, argv {@code args} (args[0] is argv0; empty args mean argv {@code
 * [path]}), exactly the environment {@code env}, the state document on stdin, and the {@code timeout}
 * enforced by killing the hook and its descendants.
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
    /** After a kill, how long to wait for the process and its output pipes, as podman's DefaultPostKillTimeout. */
    static final long POST_KILL_WAIT_MILLIS = 10_000;
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
        ProcessBuilder pb = new ProcessBuilder(command(hook, trampoline, addedBadlang));
        pb.environment().clear();
        pb.environment().putAll(env);
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new BerthException(ErrorCode.HOOK_FAILED, describe(hook) + " could not be started: " + e.getMessage(), e);
        }
        Drain out = new Drain(process.getInputStream(), "hook-stdout");
        Drain err = new Drain(process.getErrorStream(), "hook-stderr");
        feed(process, stdin);

        boolean exited;
        try {
            if (hook.timeoutSeconds() > 0) {
                exited = process.waitFor(hook.timeoutSeconds(), TimeUnit.SECONDS);
            } else {
                process.waitFor();
                exited = true;
            }
        } catch (InterruptedException e) {
            killTree(process);
            Thread.currentThread().interrupt();
            throw new BerthException(ErrorCode.HOOK_FAILED, describe(hook) + " was interrupted; killed it", e);
        }
        if (!exited) {
            killTree(process);
            long deadline = System.currentTimeMillis() + POST_KILL_WAIT_MILLIS;
            try {
                process.waitFor(POST_KILL_WAIT_MILLIS, TimeUnit.MILLISECONDS);
                err.await(Math.max(1, deadline - System.currentTimeMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new BerthException(ErrorCode.HOOK_FAILED, describe(hook) + " timed out after "
                    + hook.timeoutSeconds() + " s; killed it" + stderrSuffix(err.text()));
        }
        try {
            long deadline = System.currentTimeMillis() + DRAIN_AFTER_EXIT_MILLIS;
            out.await(DRAIN_AFTER_EXIT_MILLIS);
            err.await(Math.max(1, deadline - System.currentTimeMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int code = process.exitValue();
        if (code != 0) {
            throw new BerthException(ErrorCode.HOOK_FAILED, describe(hook) + " exited with code " + code
                    + stderrSuffix(err.text()));
        }
        return new Output(out.text(), err.text());
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

    /** Writes the state on a thread of its own: a hook that never reads stdin must not block us. */
    private static void feed(Process process, byte[] stdin) {
        Thread t = new Thread(() -> {
            try (OutputStream os = process.getOutputStream()) {
                os.write(stdin);
            } catch (IOException ignored) {
                // The hook closed its stdin or exited without reading it: not our business.
            }
        }, "hook-stdin");
        t.setDaemon(true);
        t.start();
    }

    /** Kills the hook's descendants, then the hook: killing only the hook would leave, say, its sleep holding the pipes. */
    private static void killTree(Process process) {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroyForcibly();
        for (ProcessHandle h : descendants) {
            h.destroyForcibly();
        }
    }

    /** Reads a stream to its end on a daemon thread, keeping the first {@link #MAX_CAPTURE} bytes. */
    private static final class Drain {
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private final Thread thread;

        Drain(InputStream in, String name) {
            thread = new Thread(() -> {
                byte[] buf = new byte[8192];
                try (in) {
                    int n;
                    while ((n = in.read(buf)) >= 0) {
                        synchronized (kept) {
                            int room = MAX_CAPTURE - kept.size();
                            if (room > 0) {
                                kept.write(buf, 0, Math.min(n, room));
                            }
                        }
                    }
                } catch (IOException ignored) {
                    // The stream was closed under us: what was read is what we have.
                }
            }, name);
            thread.setDaemon(true);
            thread.start();
        }

        void await(long millis) throws InterruptedException {
            thread.join(millis);
        }

        String text() {
            synchronized (kept) {
                return kept.toString(StandardCharsets.UTF_8);
            }
        }
    }
}
