package berth.state.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A running child JVM. Its stdout is split into lines by a reader thread; only newline-terminated
 * lines count, so a line cut short by SIGKILL is never taken for an acknowledgement. Its stderr is
 * drained (a full pipe would stall the child) and kept for failure messages.
 */
public final class WorkerProcess {
    private final Process process;
    private final String description;
    private final List<String> lines = new ArrayList<>();
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private final Thread outReader;
    private final Thread errReader;

    WorkerProcess(Process process, String description) {
        this.process = process;
        this.description = description;
        this.outReader = new Thread(this::readStdout, "stdout of pid " + process.pid());
        this.errReader = new Thread(this::readStderr, "stderr of pid " + process.pid());
        outReader.setDaemon(true);
        errReader.setDaemon(true);
        outReader.start();
        errReader.start();
    }

    private void readStdout() {
        InputStream in = process.getInputStream();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            int n;
            while ((n = in.read(buf)) > 0) {
                for (int i = 0; i < n; i++) {
                    if (buf[i] == '\n') {
                        String s = line.toString(StandardCharsets.UTF_8);
                        line.reset();
                        synchronized (lines) {
                            lines.add(s);
                            lines.notifyAll();
                        }
                    } else {
                        line.write(buf[i]);
                    }
                }
            }
        } catch (IOException e) {
            // the pipe closes when the child dies; what was read stands
        } finally {
            synchronized (lines) {
                lines.notifyAll();
            }
        }
    }

    private void readStderr() {
        try {
            process.getErrorStream().transferTo(new OutputStream() {
                @Override
                public void write(int b) {
                    synchronized (stderr) {
                        stderr.write(b);
                    }
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    synchronized (stderr) {
                        stderr.write(b, off, len);
                    }
                }
            });
        } catch (IOException e) {
            // the child died
        }
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Writes one line to the child's stdin. */
    public void send(String line) throws IOException {
        OutputStream o = process.getOutputStream();
        o.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        o.flush();
    }

    /** A snapshot of the complete stdout lines so far. */
    public List<String> lines() {
        synchronized (lines) {
            return new ArrayList<>(lines);
        }
    }

    /** Counts the complete stdout lines so far that match. */
    public int count(Predicate<String> p) {
        synchronized (lines) {
            int c = 0;
            for (String l : lines) {
                if (p.test(l)) {
                    c++;
                }
            }
            return c;
        }
    }

    /**
     * Waits until {@code n} lines match, the child exits, or the timeout passes; true when the count
     * was reached.
     */
    public boolean awaitCount(Predicate<String> p, int n, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        synchronized (lines) {
            while (true) {
                if (count(p) >= n) {
                    return true;
                }
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0 || (!outReader.isAlive())) {
                    return count(p) >= n;
                }
                lines.wait(Math.min(left, 50));
            }
        }
    }

    /** Waits for exit; returns the exit code, or throws if the child outlives the timeout (it is then killed). */
    public int waitFor(long timeoutMillis) throws InterruptedException {
        if (!process.waitFor(timeoutMillis, TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            process.waitFor();
            drain();
            throw new AssertionError("child JVM [" + description + "] did not finish within " + timeoutMillis
                    + " ms; killed it. Last output: " + tail() + "\nstderr: " + stderr());
        }
        drain();
        return process.exitValue();
    }

    /** SIGKILL (Process.destroyForcibly on Linux), then waits for the child and for its last output. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
        drain();
    }

    /** The exit value of a finished child. */
    public int exitValue() {
        return process.exitValue();
    }

    private void drain() throws InterruptedException {
        outReader.join(10_000);
        errReader.join(10_000);
    }

    public String stderr() {
        synchronized (stderr) {
            return stderr.toString(StandardCharsets.UTF_8);
        }
    }

    /** The last few stdout lines, for messages. */
    public String tail() {
        List<String> l = lines();
        return String.join(" | ", l.subList(Math.max(0, l.size() - 8), l.size()));
    }

    @Override
    public String toString() {
        return "child JVM pid " + process.pid() + " [" + description + "]";
    }
}
