package berth.state.sqlite;

import java.util.concurrent.locks.LockSupport;
import org.sqlite.BusyHandler;

/**
 * What SQLite runs while another connection holds the lock it needs: wait a little and try again,
 * until {@code sqlite.busy_timeout_ms} has passed (then SQLITE_BUSY, which the store retries a bounded
 * number of times before reporting a TIMEOUT).
 *
 * <p>SQLite's own handler (the one {@code busy_timeout} installs) sleeps 1, 2, 5, 10, 15, 20, 25, 25,
 * 25, 50, 50, then 100 ms between tries. A waiter that has reached the long sleeps keeps missing the
 * short moments when the lock is free, while writers that arrive later take it: with 8 berth processes
 * writing at once one write waited 1.8 s. Berth's write transactions hold the lock for well under a
 * millisecond, so this handler retries every 0.5 ms at first and never sleeps more than 2 ms. A failed
 * try costs a few microseconds (one fcntl on the WAL index).
 */
final class PollingBusyHandler extends BusyHandler {
    private final long timeoutNanos;
    private long since;

    PollingBusyHandler(int timeoutMillis) {
        this.timeoutNanos = timeoutMillis * 1_000_000L;
    }

    @Override
    protected int callback(int previousCalls) {
        long now = System.nanoTime();
        if (previousCalls == 0) {
            since = now;
        }
        if (now - since >= timeoutNanos) {
            return 0; // give up: SQLITE_BUSY
        }
        LockSupport.parkNanos(previousCalls < 100 ? 500_000L : previousCalls < 1000 ? 1_000_000L : 2_000_000L);
        return 1;
    }
}
