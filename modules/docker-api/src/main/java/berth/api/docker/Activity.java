package berth.api.docker;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * What keeps the service alive under {@code --time N}: requests and hijacked sessions in progress,
 * and when the last one ended. podman's service exits the same way, so berth stays daemonless.
 */
final class Activity {
    private final AtomicInteger active = new AtomicInteger();
    private volatile long lastEnd = System.nanoTime();

    void begin() {
        active.incrementAndGet();
    }

    void end() {
        lastEnd = System.nanoTime();
        active.decrementAndGet();
    }

    /** True when nothing has run for {@code seconds}. */
    boolean idleFor(long seconds) {
        return active.get() == 0 && System.nanoTime() - lastEnd >= seconds * 1_000_000_000L;
    }
}
