package berth.cli;

import berth.kernel.model.PullListener;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@code pull}, {@code push}, {@code load} and a pulling {@code run} print on stderr. In a
 * terminal: a line per blob (digest, bytes, rate, state) redrawn in place at most ten times a second;
 * in a pipe: podman's plain lines, one per step, so logs stay readable.
 */
final class PullDisplay implements PullListener {
    private final PrintStream err;
    private final boolean terminal;
    private final Map<String, Blob> blobs = new LinkedHashMap<>();
    private int drawnLines;
    private long lastDraw;

    private static final class Blob {
        final long size;
        final long started = System.nanoTime();
        long bytes;
        String state = "copying";

        Blob(long size) {
            this.size = size;
        }
    }

    private PullDisplay(PrintStream err, boolean terminal) {
        this.err = err;
        this.terminal = terminal;
    }

    /** A display for this process's stderr, or a silent one for {@code -q}. */
    static PullListener forStderr(boolean quiet) {
        return quiet ? PullListener.NONE : new PullDisplay(System.err, System.console() != null);
    }

    @Override
    public synchronized void message(String text) {
        if (terminal) {
            drawnLines = 0; // a message scrolls the table away; the next draw starts below it
        }
        err.println(text);
    }

    @Override
    public synchronized void blobStarted(String digest, long size) {
        blobs.put(digest, new Blob(size));
        if (!terminal) {
            err.println("Copying blob " + shortDigest(digest));
        } else {
            draw(true);
        }
    }

    @Override
    public synchronized void blobProgress(String digest, long bytes) {
        Blob b = blobs.get(digest);
        if (b != null) {
            b.bytes = bytes;
            if (terminal) {
                draw(false);
            }
        }
    }

    @Override
    public synchronized void blobDone(String digest, boolean skipped) {
        Blob b = blobs.computeIfAbsent(digest, d -> new Blob(-1));
        b.state = skipped ? "skipped: already exists" : "done";
        if (!terminal) {
            err.println("Copying blob " + shortDigest(digest) + (skipped ? " skipped: already exists" : " done"));
        } else {
            draw(true);
        }
    }

    private void draw(boolean force) {
        long now = System.nanoTime();
        if (!force && now - lastDraw < 100_000_000L) {
            return;
        }
        lastDraw = now;
        StringBuilder sb = new StringBuilder();
        if (drawnLines > 0) {
            sb.append("\033[").append(drawnLines).append('A');
        }
        for (Map.Entry<String, Blob> e : blobs.entrySet()) {
            Blob b = e.getValue();
            double secs = Math.max(1e-3, (now - b.started) / 1e9);
            sb.append("\r\033[2KCopying blob ").append(shortDigest(e.getKey())).append(' ');
            if (b.state.equals("copying")) {
                sb.append(Sizes.human(b.bytes)).append(b.size > 0 ? " / " + Sizes.human(b.size) : "")
                        .append(" (").append(Sizes.human((long) (b.bytes / secs))).append("/s)");
            } else {
                sb.append(b.state);
            }
            sb.append('\n');
        }
        drawnLines = blobs.size();
        err.print(sb);
        err.flush();
    }

    static String shortDigest(String digest) {
        int colon = digest.indexOf(':');
        String hex = colon < 0 ? digest : digest.substring(colon + 1);
        return (colon < 0 ? "" : digest.substring(0, colon + 1)) + (hex.length() > 12 ? hex.substring(0, 12) : hex);
    }
}
