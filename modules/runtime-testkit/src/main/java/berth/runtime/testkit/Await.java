package berth.runtime.testkit;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/** Polls until something holds; the failure message is computed only on timeout. */
final class Await {
    private Await() {
    }

    static <T> T until(Duration limit, Supplier<Optional<T>> probe, Supplier<String> failure) {
        long deadline = System.nanoTime() + limit.toNanos();
        long sleep = 5;
        while (true) {
            Optional<T> v = probe.get();
            if (v.isPresent()) {
                return v.get();
            }
            if (System.nanoTime() > deadline) {
                return fail("after " + limit.toMillis() + " ms: " + failure.get());
            }
            try {
                Thread.sleep(sleep);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return fail("interrupted while waiting: " + failure.get());
            }
            sleep = Math.min(sleep * 2, 50);
        }
    }
}
