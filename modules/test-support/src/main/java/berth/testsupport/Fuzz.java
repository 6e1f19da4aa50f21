package berth.testsupport;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropagationMode;
import net.jqwik.api.lifecycle.PropertyAttributes;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

/**
 * The budget of berth's property-based fuzz tests (jqwik). Each property states the tries it runs in
 * CI ({@code @Property(tries = ...)}) and its class carries {@code @AddLifecycleHook(Fuzz.Budget.class)};
 * then every run is seed-stable and short, and a longer local run is one switch away:
 *
 * <ul>
 *   <li>{@code -Dberth.fuzz.factor=N} (or {@code BERTH_FUZZ_FACTOR=N}) multiplies every property's
 *       tries by N, e.g. {@code mvn -B -q -pl modules/kernel -am verify -Dberth.fuzz.factor=100};
 *   <li>{@code -Dberth.fuzz.seed=S} (or {@code BERTH_FUZZ_SEED}) replaces the fixed default seed
 *       {@value #DEFAULT_SEED}; {@code random} lets jqwik pick a new seed each run (printed on failure).
 * </ul>
 *
 * A property that fails prints its seed and the shrunk input; the input then goes into the module's
 * plain JUnit corpus next to the property, so the regression stays checked without jqwik's randomness.
 */
public final class Fuzz {
    /** The seed of every run unless {@code berth.fuzz.seed} says otherwise. */
    public static final String DEFAULT_SEED = "4711";

    private Fuzz() {
    }

    /** The multiplier of the tries: {@code berth.fuzz.factor}, else {@code BERTH_FUZZ_FACTOR}, else 1. */
    public static int factor() {
        String v = setting("berth.fuzz.factor", "BERTH_FUZZ_FACTOR");
        if (v == null) {
            return 1;
        }
        try {
            return Math.max(1, Integer.parseInt(v.trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("berth.fuzz.factor must be a positive integer, not '" + v + "'", e);
        }
    }

    /** The seed: {@code berth.fuzz.seed}, else {@code BERTH_FUZZ_SEED}, else {@link #DEFAULT_SEED}; empty for "random". */
    public static Optional<String> seed() {
        String v = setting("berth.fuzz.seed", "BERTH_FUZZ_SEED");
        if (v == null || v.isBlank()) {
            return Optional.of(DEFAULT_SEED);
        }
        return v.trim().equalsIgnoreCase("random") ? Optional.empty() : Optional.of(v.trim());
    }

    private static String setting(String property, String env) {
        String v = System.getProperty(property);
        return v != null ? v : System.getenv(env);
    }

    /** Runs the tries: daemon threads, reused, so that a try costs no thread start and a hung one blocks no exit. */
    private static final ExecutorService TRIES = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fuzz-try");
        t.setDaemon(true);
        return t;
    });

    /**
     * Runs one try on another thread and fails it when it takes longer than {@code limit}: a hang is a
     * finding, not a stuck build. Whatever the body throws (an error too) is rethrown unchanged.
     */
    public static <T> T within(Duration limit, Callable<T> body) {
        Future<T> f = TRIES.submit(body);
        try {
            return f.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            return fail("one fuzz try took longer than " + limit + " (a hang?)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("interrupted", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException r) {
                throw r;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new AssertionError("the try threw " + c, c);
        }
    }

    /** Scales the tries and fixes the seed of each property of the class it is added to. */
    public static final class Budget implements AroundPropertyHook {
        @Override
        public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
            PropertyAttributes a = context.attributes();
            int tries = a.tries().orElse(1000);
            a.setTries((int) Math.min(Integer.MAX_VALUE, (long) tries * factor()));
            if (a.seed().isEmpty() || a.seed().get().isEmpty()) {
                seed().ifPresent(a::setSeed);
            }
            return property.execute();
        }

        @Override
        public PropagationMode propagateTo() {
            return PropagationMode.ALL_DESCENDANTS; // added to a class, it budgets the class's properties
        }

        @Override
        public int aroundPropertyProximity() {
            return -100; // outside everything else: the attributes are set before the property runs
        }
    }
}
