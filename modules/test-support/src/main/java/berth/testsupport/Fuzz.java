package berth.testsupport;

import static org.junit.jupiter.api.Assertions.fail;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * berth's fuzz tests on plain JUnit: a seeded loop of tries ({@link #forAll}), the generators that
 * make each try's input ({@link Gen}) and a time limit per try ({@link #within}). A fuzz test is a
 * {@code @Test} that calls {@code Fuzz.forAll(tries, g -> input, input -> checks)}; every run is
 * seed-stable and short, and a longer local run is one switch away:
 *
 * <ul>
 *   <li>{@code -Dberth.fuzz.factor=N} (or {@code BERTH_FUZZ_FACTOR=N}) multiplies every test's tries
 *       by N, e.g. {@code mvn -B -q -pl modules/kernel -am verify -Dberth.fuzz.factor=100};
 *   <li>{@code -Dberth.fuzz.seed=S} (or {@code BERTH_FUZZ_SEED}) replaces the fixed default seed
 *       {@value #DEFAULT_SEED}; {@code random} picks a new seed each run;
 *   <li>{@code -Dberth.fuzz.try=N} (or {@code BERTH_FUZZ_TRY}) runs only try N (with the seed, a replay).
 * </ul>
 *
 * Each try draws from its own {@link Random}, seeded from the run's seed and the try's number, so one
 * try replays alone. A failing try fails the test with the seed, the try and its input (escaped) in
 * the message; the input then goes into the module's plain JUnit corpus next to the fuzz test, so the
 * regression stays checked without the randomness.
 */
public final class Fuzz {
    /** The seed of every run unless {@code berth.fuzz.seed} says otherwise. */
    public static final String DEFAULT_SEED = "4711";
    /** How much of an input a failure message shows. */
    private static final int SHOWN = 2000;

    private Fuzz() {
    }

    /** The multiplier of the tries: {@code berth.fuzz.factor}, else {@code BERTH_FUZZ_FACTOR}, else 1. */
    public static int factor() {
        String v = setting("berth.fuzz.factor", "BERTH_FUZZ_FACTOR");
        if (v == null || v.isBlank()) {
            return 1;
        }
        try {
            return Math.max(1, Integer.parseInt(v.trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("berth.fuzz.factor must be a positive integer, not '" + v + "'", e);
        }
    }

    /** The seed: {@code berth.fuzz.seed}, else {@code BERTH_FUZZ_SEED}, else {@link #DEFAULT_SEED}; a new one for "random". */
    public static long seed() {
        String v = setting("berth.fuzz.seed", "BERTH_FUZZ_SEED");
        if (v == null || v.isBlank()) {
            v = DEFAULT_SEED;
        }
        v = v.trim();
        if (v.equalsIgnoreCase("random")) {
            return RANDOM_SEED;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("berth.fuzz.seed must be a number or 'random', not '" + v + "'", e);
        }
    }

    /** The one try to run ({@code berth.fuzz.try}, else {@code BERTH_FUZZ_TRY}), or -1 for all. */
    public static int onlyTry() {
        String v = setting("berth.fuzz.try", "BERTH_FUZZ_TRY");
        if (v == null || v.isBlank()) {
            return -1;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("berth.fuzz.try must be a try number, not '" + v + "'", e);
        }
    }

    /** The seed of a "random" run: one per JVM, so that every test of the run reports the same. */
    private static final long RANDOM_SEED = new SecureRandom().nextLong();

    private static String setting(String property, String env) {
        String v = System.getProperty(property);
        return v != null ? v : System.getenv(env);
    }

    /** A check of one input, which may throw anything: a thrown assertion or exception fails the try. */
    @FunctionalInterface
    public interface Check<T> {
        void check(T input) throws Exception;
    }

    /**
     * Runs {@code tries} (times the {@linkplain #factor() factor}) tries: each makes an input with
     * {@code generator} from a {@link Gen} seeded for that try and checks it. The first failing try
     * fails with the seed, the try number, the replay switches and the input.
     */
    public static <T> void forAll(int tries, Function<Gen, T> generator, Check<T> check) {
        long seed = seed();
        int total = (int) Math.min(Integer.MAX_VALUE, (long) tries * factor());
        int only = onlyTry();
        String test = StackWalker.getInstance().walk(s -> s.skip(1).findFirst().map(f -> f.getClassName().replaceFirst(".*\\.", "")
                + "." + f.getMethodName()).orElse("?"));
        for (int t = only >= 0 ? only : 0; t < (only >= 0 ? only + 1 : total); t++) {
            Gen gen = new Gen(trySeed(seed, t));
            T input = null;
            try {
                input = generator.apply(gen);
                check.check(input);
            } catch (Throwable e) { // an assertion, an exception, a StackOverflowError: all findings
                if (e instanceof VirtualMachineError && !(e instanceof StackOverflowError)) {
                    throw (VirtualMachineError) e;
                }
                AssertionError failure = new AssertionError(test + " failed on try " + t + " of " + total + " (seed " + seed
                        + "; replay: -Dberth.fuzz.seed=" + seed + " -Dberth.fuzz.try=" + t + ")\n  input: " + show(input)
                        + "\n  " + e, e);
                throw failure;
            }
        }
    }

    /** The seed of try {@code t} of a run with {@code seed}: independent of the tries before it. */
    static long trySeed(long seed, int t) {
        return new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (t + 1))).nextLong();
    }

    /**
     * The input as text fit for a message: strings and byte arrays escaped (Java style, {@code \\uXXXX}
     * and {@code \\xNN} for anything not printable ASCII), anything else by its {@code toString}, escaped
     * too; cut after {@value #SHOWN} characters, saying how long it was.
     */
    public static String show(Object input) {
        if (input == null) {
            return "null (the generator failed)";
        }
        StringBuilder b = new StringBuilder();
        int length;
        if (input instanceof byte[] bytes) {
            length = bytes.length;
            b.append("bytes[").append(length).append("] \"");
            for (int i = 0; i < bytes.length && b.length() < SHOWN; i++) {
                int c = bytes[i] & 0xff;
                if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
                    b.append((char) c);
                } else {
                    b.append(String.format("\\x%02x", c));
                }
            }
        } else {
            String s = input instanceof String str ? str : String.valueOf(input);
            length = s.length();
            b.append('"');
            for (int i = 0; i < s.length() && b.length() < SHOWN; i++) {
                char c = s.charAt(i);
                if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
                    b.append(c);
                } else if (c == '"' || c == '\\') {
                    b.append('\\').append(c);
                } else {
                    b.append(String.format("\\u%04x", (int) c));
                }
            }
        }
        if (b.length() >= SHOWN) {
            return b.append("\"... (").append(length).append(input instanceof byte[] ? " bytes" : " chars").append(" in all)").toString();
        }
        return b.append('"').toString();
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

    /**
     * The generators of one try, all drawing from one seeded {@link Random} ({@link #random()}, for
     * generators of a test's own). Sizes and ranges lean a little to their edges (empty, min, max),
     * where the bugs are.
     */
    public static final class Gen {
        /** Characters that break parsers: controls, NUL, separators, a BOM, non-ASCII and lone surrogates. */
        static final String SPECIAL = "\u0000\u0001\u001f\u007f\t\n\r \"'\\/:=,.[]{}-+0é\u00ff\u0100\u2028\u20ac\ufeff\uffff\ud800\udc00";
        private final Random random;

        Gen(long seed) {
            this.random = new Random(seed);
        }

        /** The try's source of randomness. */
        public Random random() {
            return random;
        }

        public boolean bool() {
            return random.nextBoolean();
        }

        /** An int in {@code [min, max]}, both included; each edge about one time in 16. */
        public int intIn(int min, int max) {
            int r = random.nextInt(16);
            if (r == 0) {
                return min;
            }
            if (r == 1) {
                return max;
            }
            return (int) (min + (long) (random.nextDouble() * ((long) max - min + 1)));
        }

        /** Any int, small ones and edges more often. */
        public int anyInt() {
            return switch (random.nextInt(8)) {
                case 0 -> pick(0, 1, -1, Integer.MIN_VALUE, Integer.MAX_VALUE, Integer.MIN_VALUE + 1, Integer.MAX_VALUE - 1);
                case 1, 2 -> random.nextInt(201) - 100;
                default -> random.nextInt();
            };
        }

        /** Any long, small ones and edges more often. */
        public long anyLong() {
            return switch (random.nextInt(8)) {
                case 0 -> pick(0L, 1L, -1L, Long.MIN_VALUE, Long.MAX_VALUE, (long) Integer.MAX_VALUE + 1);
                case 1, 2 -> random.nextInt(201) - 100;
                default -> random.nextLong();
            };
        }

        /** Any double: edges (NaN, infinities, zeroes, extremes), small ones and any bits. */
        public double anyDouble() {
            return switch (random.nextInt(8)) {
                case 0 -> pick(0.0, -0.0, 1.0, -1.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
                        Double.MIN_VALUE, Double.MAX_VALUE, Double.MIN_NORMAL);
                case 1, 2 -> (random.nextDouble() - 0.5) * 200;
                case 3 -> Math.round(random.nextDouble() * 1000) / 100.0;
                default -> Double.longBitsToDouble(random.nextLong());
            };
        }

        /** A size in {@code [min, max]}: short ones more often, the edges now and then. */
        public int size(int min, int max) {
            return switch (random.nextInt(8)) {
                case 0 -> min;
                case 1 -> max;
                case 2, 3, 4 -> min + random.nextInt(Math.min(max - min, 8) + 1);
                default -> min + random.nextInt(max - min + 1);
            };
        }

        /** Random bytes, up to {@code maxLength} of them. */
        public byte[] bytes(int maxLength) {
            byte[] b = new byte[size(0, maxLength)];
            random.nextBytes(b);
            return b;
        }

        /** Any char: printable ASCII half the time, else a {@linkplain #SPECIAL special} or any UTF-16 unit (lone surrogates too). */
        public char anyChar() {
            return switch (random.nextInt(8)) {
                case 0, 1, 2, 3 -> (char) (0x20 + random.nextInt(0x5f));
                case 4 -> SPECIAL.charAt(random.nextInt(SPECIAL.length()));
                case 5 -> (char) random.nextInt(0x100);
                default -> (char) random.nextInt(0x10000);
            };
        }

        /** Any string of up to {@code maxLength} chars (see {@link #anyChar()}). */
        public String string(int maxLength) {
            int n = size(0, maxLength);
            StringBuilder b = new StringBuilder(n);
            for (int i = 0; i < n; i++) {
                b.append(anyChar());
            }
            return b.toString();
        }

        /** A string of {@code minLength} to {@code maxLength} chars of {@code alphabet} (UTF-16 units: a pair may split). */
        public String string(String alphabet, int minLength, int maxLength) {
            int n = size(minLength, maxLength);
            StringBuilder b = new StringBuilder(n);
            for (int i = 0; i < n; i++) {
                b.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            return b.toString();
        }

        /** One of {@code choices}, each as likely. */
        @SafeVarargs
        public final <T> T pick(T... choices) {
            return choices[random.nextInt(choices.length)];
        }

        /** One of {@code choices}, each as likely. */
        public <T> T pick(List<T> choices) {
            return choices.get(random.nextInt(choices.size()));
        }

        /** The value of one of {@code generators}, each as likely. */
        @SafeVarargs
        public final <T> T oneOf(Supplier<? extends T>... generators) {
            return generators[random.nextInt(generators.length)].get();
        }

        /** Up to {@code maxPieces} values of {@code piece}, joined. */
        public String join(int maxPieces, Supplier<String> piece) {
            StringBuilder b = new StringBuilder();
            for (int i = size(0, maxPieces); i > 0; i--) {
                b.append(piece.get());
            }
            return b.toString();
        }

        /**
         * {@code sample} with {@code edits} random edits, each one of: {@code pieces} inserted, a span of 1
         * to {@code maxSpan} chars replaced by a piece, such a span deleted, or the text cut there.
         */
        public String mutate(String sample, int edits, int maxSpan, String... pieces) {
            StringBuilder b = new StringBuilder(sample);
            for (int i = 0; i < edits; i++) {
                int at = random.nextInt(b.length() + 1);
                String piece = pieces[random.nextInt(pieces.length)];
                switch (random.nextInt(4)) {
                    case 0 -> b.insert(at, piece);
                    case 1 -> b.replace(at, Math.min(b.length(), at + 1 + random.nextInt(maxSpan)), piece);
                    case 2 -> b.delete(at, Math.min(b.length(), at + 1 + random.nextInt(maxSpan)));
                    default -> b.setLength(at); // truncated
                }
            }
            return b.toString();
        }

        /**
         * {@code sample} with {@code edits} random byte edits, each one of: a bit flipped, a byte set to
         * any value, a byte inserted, a byte deleted, a span duplicated, or the bytes cut there.
         */
        public byte[] mutate(byte[] sample, int edits) {
            byte[] b = sample.clone();
            for (int i = 0; i < edits && b.length > 0; i++) {
                int at = random.nextInt(b.length);
                switch (random.nextInt(6)) {
                    case 0 -> b[at] ^= (byte) (1 << random.nextInt(8));
                    case 1 -> b[at] = (byte) random.nextInt(256);
                    case 2 -> b = splice(b, at, 0, new byte[] {(byte) random.nextInt(256)});
                    case 3 -> b = splice(b, at, 1, new byte[0]);
                    case 4 -> b = splice(b, at, 0, Arrays.copyOfRange(b, at, Math.min(b.length, at + 1 + random.nextInt(16))));
                    default -> b = Arrays.copyOf(b, at);
                }
            }
            return b;
        }

        private static byte[] splice(byte[] b, int at, int remove, byte[] insert) {
            byte[] r = new byte[b.length - remove + insert.length];
            System.arraycopy(b, 0, r, 0, at);
            System.arraycopy(insert, 0, r, at, insert.length);
            System.arraycopy(b, at + remove, r, at + insert.length, b.length - at - remove);
            return r;
        }
    }
}
