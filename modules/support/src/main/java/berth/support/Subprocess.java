package berth.support;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a helper command to its end and returns its exit code, stdout and stderr.
 *
 * <p>Why not a bare {@link ProcessBuilder}: a child that fills one pipe while we read the other,
 * or that never reads its stdin, blocks forever; a timeout that kills only the child leaves its
 * children holding the pipes; and each copy of that logic got a different subset right. Here
 * stdout and stderr are read on two daemon threads at once, stdin is written on a third (so a child
 * that ignores it cannot block us), and a timeout kills the child and its descendants.
 *
 * <p>Configure, then {@link #run()} or {@link #check(ErrorCode)}; an instance is for one thread.
 * Output is decoded as UTF-8. After the child exits, output still held open by a process it left
 * behind is waited for at most {@link #drainAfterExitMillis(long)} (2 s by default), then what was
 * read is returned.
 */
public final class Subprocess {
    /** After a kill, how long to wait for the child and its pipes (podman's DefaultPostKillTimeout). */
    private static final long POST_KILL_WAIT_MILLIS = 10_000;

    private final List<String> command;
    private byte[] stdin;
    private boolean inheritStdin;
    private Map<String, String> environment;
    private boolean clearEnvironment;
    private Path directory;
    private long timeoutMillis;
    private boolean mergeStderr;
    private int captureLimit = Integer.MAX_VALUE;
    private long drainAfterExitMillis = 2_000;

    private Subprocess(List<String> command) {
        if (command.isEmpty()) {
            throw new IllegalArgumentException("no command");
        }
        this.command = List.copyOf(command);
    }

    /** A command: the executable (a path, or a name looked up on the child's PATH) and its arguments. */
    public static Subprocess of(List<String> command) {
        return new Subprocess(command);
    }

    public static Subprocess of(String... command) {
        return new Subprocess(List.of(command));
    }

    /** What the child reads on stdin; by default an empty stdin (closed at once). */
    public Subprocess stdin(byte[] bytes) {
        this.stdin = bytes;
        return this;
    }

    /** The child reads this process's stdin (say, a terminal for stty). */
    public Subprocess inheritStdin() {
        this.inheritStdin = true;
        return this;
    }

    /** Variables set for the child, over this process's environment (or over none, after {@link #clearEnvironment()}). */
    public Subprocess environment(Map<String, String> variables) {
        this.environment = variables;
        return this;
    }

    /** The child inherits no variable: it gets exactly {@link #environment(Map)}. */
    public Subprocess clearEnvironment() {
        this.clearEnvironment = true;
        return this;
    }

    public Subprocess directory(Path dir) {
        this.directory = dir;
        return this;
    }

    /** Kill the child (and its descendants) when it runs longer; 0 or less, the default, waits forever. */
    public Subprocess timeoutMillis(long millis) {
        this.timeoutMillis = millis;
        return this;
    }

    /** stderr goes into stdout, interleaved as the child wrote them; {@link Result#stderr()} is then empty. */
    public Subprocess mergeStderr() {
        this.mergeStderr = true;
        return this;
    }

    /** At most this many bytes are kept per stream; the rest is read and dropped. */
    public Subprocess captureLimit(int bytes) {
        this.captureLimit = bytes;
        return this;
    }

    /** How long, after the child exited, to wait for output held open by processes it left behind. */
    public Subprocess drainAfterExitMillis(long millis) {
        this.drainAfterExitMillis = millis;
        return this;
    }

    /** The command line as messages show it. */
    public String commandLine() {
        return String.join(" ", command);
    }

    /** What a finished child did. */
    public record Result(int exitCode, String stdout, String stderr) {
        public boolean ok() {
            return exitCode == 0;
        }
    }

    /**
     * Why a command did not give a result (or, from {@link #check}, not a good one). Its message
     * names the command; {@link #partial()} holds what it wrote until then (exit code -1 when it did
     * not exit by itself), and {@link #detail()} the cause alone, for a caller that words its own
     * message.
     */
    public static final class Failed extends BerthException {
        private static final long serialVersionUID = 1L;

        /** What went wrong. */
        public enum Kind {
            /** It could not be started (no such file, not executable); {@link ErrorCode#INTERNAL}. */
            START,
            /** It outlived its timeout and was killed; {@link ErrorCode#TIMEOUT}. */
            TIMEOUT,
            /** This thread was interrupted while waiting; the child was killed; {@link ErrorCode#INTERNAL}. */
            INTERRUPTED,
            /** It exited non-zero ({@link #check} only); the code the caller gave. */
            EXIT
        }

        private final Kind kind;
        private final transient Result partial;
        private final String detail;

        Failed(Kind kind, ErrorCode code, String message, String detail, Result partial, Throwable cause) {
            super(code, message, cause);
            this.kind = kind;
            this.detail = detail;
            this.partial = partial;
        }

        public Kind kind() {
            return kind;
        }

        /** The cause without the command: the start error's text, "timed out after 5 s", "exited with code 3". */
        public String detail() {
            return detail;
        }

        public Result partial() {
            return partial;
        }
    }

    /**
     * Starts the command and waits for it.
     *
     * @return its exit code and output, whatever the exit code
     * @throws Failed {@link Failed.Kind#START}, {@link Failed.Kind#TIMEOUT} (the message says
     *     "`cmd` timed out after N s; killed it" and ends with its stderr so far), or
     *     {@link Failed.Kind#INTERRUPTED} (the thread's interrupt flag is set again)
     */
    public Result run() {
        return start().finish(stdin);
    }

    /**
     * Starts the command now and returns at once, its stdin left open: {@link Started#finish(byte[])}
     * writes stdin and waits. A caller that knows the command before it knows the input (the next
     * plugin of a chain, whose input is the previous one's output) overlaps the child's start-up
     * with other work this way; a child that reads all of stdin before acting behaves as if started
     * by {@link #run()}. The stdin configured here is ignored; {@link Started#cancel()} kills a child
     * that turns out not to be needed.
     *
     * @throws Failed {@link Failed.Kind#START}
     */
    public Started start() {
        ProcessBuilder pb = new ProcessBuilder(command);
        if (clearEnvironment) {
            pb.environment().clear();
        }
        if (environment != null) {
            pb.environment().putAll(environment);
        }
        if (directory != null) {
            pb.directory(directory.toFile());
        }
        if (inheritStdin) {
            pb.redirectInput(ProcessBuilder.Redirect.INHERIT);
        }
        pb.redirectErrorStream(mergeStderr);
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new Failed(Failed.Kind.START, ErrorCode.INTERNAL, "cannot run " + commandLine() + ": " + e.getMessage(),
                    e.getMessage(), new Result(-1, "", ""), e);
        }
        Pump out = Pump.drain(process.getInputStream(), captureLimit, "subprocess-stdout");
        Pump err = mergeStderr ? null : Pump.drain(process.getErrorStream(), captureLimit, "subprocess-stderr");
        return new Started(process, out, err);
    }

    /** A child started by {@link #start()}: not yet given its stdin, not yet waited for. For one thread. */
    public final class Started {
        private final Process process;
        private final Pump out;
        private final Pump err;

        private Started(Process process, Pump out, Pump err) {
            this.process = process;
            this.out = out;
            this.err = err;
        }

        /**
         * Writes {@code input} to the child's stdin (null or empty: closes it) and waits, as {@link
         * Subprocess#run()} does.
         */
        public Result finish(byte[] input) {
            if (!inheritStdin) {
                feed(process, input);
            }
            return await(process, out, err);
        }

        /** Kills a child that was not given its stdin (it has not acted yet) and reaps it. */
        public void cancel() {
            killTree(process);
            try {
                process.waitFor(POST_KILL_WAIT_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private Result await(Process process, Pump out, Pump err) {
        boolean exited;
        try {
            if (timeoutMillis > 0) {
                exited = process.waitFor(timeoutMillis, TimeUnit.MILLISECONDS);
            } else {
                process.waitFor();
                exited = true;
            }
        } catch (InterruptedException e) {
            killTree(process);
            Thread.currentThread().interrupt();
            throw new Failed(Failed.Kind.INTERRUPTED, ErrorCode.INTERNAL, commandLine() + " was interrupted; killed it",
                    "interrupted", new Result(-1, out.text(), text(err)), e);
        }
        if (!exited) {
            killTree(process);
            try {
                long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(POST_KILL_WAIT_MILLIS);
                process.waitFor(POST_KILL_WAIT_MILLIS, TimeUnit.MILLISECONDS);
                awaitUntil(err != null ? err : out, deadline);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Result partial = new Result(-1, out.text(), text(err));
            String detail = "timed out after " + duration(timeoutMillis);
            String said = (err != null ? partial.stderr() : partial.stdout()).strip();
            throw new Failed(Failed.Kind.TIMEOUT, ErrorCode.TIMEOUT, commandLine() + " " + detail + "; killed it"
                    + (said.isEmpty() ? "" : (err != null ? "; stderr: " : "; output: ") + said), detail, partial, null);
        }
        try {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(drainAfterExitMillis);
            awaitUntil(out, deadline);
            if (err != null) {
                awaitUntil(err, deadline);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return new Result(process.exitValue(), out.text(), text(err));
    }

    /**
     * {@link #run()}, and fails unless the exit code is 0.
     *
     * @throws Failed as {@link #run()}, or {@link Failed.Kind#EXIT} with {@code code}: "CMD exited with
     *     code 3: STDERR" (stdout when stderr is empty or merged)
     */
    public Result check(ErrorCode code) {
        Result r = run();
        if (r.exitCode() != 0) {
            String said = r.stderr().strip();
            if (said.isEmpty()) {
                said = r.stdout().strip();
            }
            String detail = "exited with code " + r.exitCode();
            throw new Failed(Failed.Kind.EXIT, code, commandLine() + " " + detail + (said.isEmpty() ? "" : ": " + said),
                    detail, r, null);
        }
        return r;
    }

    /** Writes stdin on a thread of its own, so a child that never reads it cannot block us; an empty stdin is closed at once. */
    private static void feed(Process process, byte[] stdin) {
        OutputStream os = process.getOutputStream();
        if (stdin == null || stdin.length == 0) {
            try {
                os.close();
            } catch (IOException ignored) {
                // the child is gone already: its exit status tells why
            }
            return;
        }
        Pump.feed(os, stdin, "subprocess-stdin");
    }

    /** Kills the descendants too: killing only the child would leave, say, its sleep holding the pipes. */
    private static void killTree(Process process) {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroyForcibly();
        for (ProcessHandle h : descendants) {
            h.destroyForcibly();
        }
    }

    private static void awaitUntil(Pump pump, long deadlineNanos) throws InterruptedException {
        long left = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
        pump.thread.join(Math.max(1, left));
    }

    private static String text(Pump pump) {
        return pump == null ? "" : pump.text();
    }

    private static String duration(long millis) {
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }

    /** A daemon thread that reads a stream to its end into a bounded buffer, or writes bytes to a stream and closes it. */
    private static final class Pump implements Runnable {
        private final InputStream in;
        private final OutputStream out;
        private final byte[] bytes;
        private final int limit;
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private Thread thread;

        private Pump(InputStream in, OutputStream out, byte[] bytes, int limit) {
            this.in = in;
            this.out = out;
            this.bytes = bytes;
            this.limit = limit;
        }

        static Pump drain(InputStream in, int limit, String name) {
            return start(new Pump(in, null, null, limit), name);
        }

        static Pump feed(OutputStream out, byte[] bytes, String name) {
            return start(new Pump(null, out, bytes, 0), name);
        }

        private static Pump start(Pump p, String name) {
            p.thread = new Thread(p, name);
            p.thread.setDaemon(true);
            p.thread.start();
            return p;
        }

        @Override
        public void run() {
            if (out != null) {
                try (out) {
                    out.write(bytes);
                } catch (IOException ignored) {
                    // the child closed its stdin or exited without reading it: its exit status tells why
                }
                return;
            }
            byte[] buf = new byte[8192];
            try (in) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    synchronized (kept) {
                        int room = limit - kept.size();
                        if (room > 0) {
                            kept.write(buf, 0, Math.min(n, room));
                        }
                    }
                }
            } catch (IOException ignored) {
                // the stream was closed under us: what was read is what we have
            }
        }

        String text() {
            synchronized (kept) {
                return kept.toString(StandardCharsets.UTF_8);
            }
        }
    }
}
