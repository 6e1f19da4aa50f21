package berth.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.model.NetworkSpec;
import berth.kernel.model.PortMapping;
import berth.testsupport.Fuzz;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Hostile container inputs parsed by the engine (seeded JUnit loops on {@link Fuzz}): {@code --signal}/{@code --stop-signal},
 * {@code --memory}, {@code --cpus} and {@code --network}. Any string gives a sensible value or a
 * {@link BerthException} with {@link ErrorCode#INVALID_ARGUMENT} naming the input — never a
 * NumberFormatException, an IndexOutOfBoundsException, a NullPointerException or a silent 0.
 *
 * <p>CI runs a fixed seed and the tries below (about a second); {@code -Dberth.fuzz.factor=100} or
 * {@code -Dberth.fuzz.seed=random} run longer or elsewhere (see {@link Fuzz}). Inputs that ever failed
 * are kept in {@link EngineInputsCorpusTest}.
 */
class EngineInputsFuzzTest {
    static <T> Object parseOrInvalid(String input, Function<String, T> parser) {
        return Fuzz.within(Duration.ofSeconds(5), () -> {
            try {
                return parser.apply(input);
            } catch (BerthException e) {
                assertEquals(ErrorCode.INVALID_ARGUMENT, e.code(), e.getMessage());
                String m = e.getMessage();
                // BerthException ends the first line with its code text: an input with a line break is named around it
                assertTrue(m.contains(input) || m.replaceFirst(": " + Pattern.quote(e.code().text()) + "\n", "\n").contains(input),
                        "the error does not name the input \"" + input + "\": " + m);
                return e;
            }
        });
    }

    static final String[] PIECES = {"SIG", "sig", "TERM", "kill", "RTMIN", "+", "-", ".", "e", "E", "1", "0", "15", "64", "65",
        "2147483648", "NaN", "Infinity", "0x1p3", "f", "d", "b", "k", "m", "g", "t", "KB", " ", "\t",
        "1e-12", "1e30", "٣", ":", ",", "=", "none", "host", "bridge", "slirp4netns", "private", "mynet",
        "ip=10.0.0.1", "/", "..", "\u0000", "é"};

    static String input(Fuzz.Gen g) {
        return g.join(6, () -> g.oneOf(() -> g.pick(PIECES), () -> g.string(4), () -> String.valueOf(g.anyDouble()),
                () -> String.valueOf(g.anyLong())));
    }

    @Test
    void signals() {
        Fuzz.forAll(3000, EngineInputsFuzzTest::input, s -> {
            if (parseOrInvalid(s, Signals::parse) instanceof Integer n) {
                assertTrue(n >= 1 && n <= 64, s + " -> " + n);
            }
        });
    }

    @Test
    void sizes() {
        Fuzz.forAll(3000, EngineInputsFuzzTest::input, s -> {
            if (parseOrInvalid(s, Units::parseBytes) instanceof Long n) {
                assertTrue(n >= 1 && n < Long.MAX_VALUE, s + " -> " + n);
            }
        });
    }

    @Test
    void cpus() {
        Fuzz.forAll(3000, EngineInputsFuzzTest::input, s -> {
            if (parseOrInvalid(s, Units::parseNanoCpus) instanceof Long n) {
                assertTrue(n >= 1 && n < Long.MAX_VALUE, s + " -> " + n);
            }
        });
    }

    @Test
    void networkModes() {
        Fuzz.forAll(3000, EngineInputsFuzzTest::input, s -> {
            if (parseOrInvalid(s, m -> NetworkModes.parse(m, List.of(), () -> "podman")) instanceof NetworkSpec n) {
                n.networks().forEach(name -> assertTrue(berth.support.Names.isValidName(name), s + " -> network " + name));
            }
            parseOrInvalid(s, m -> NetworkModes.parse(m, List.of(PortMapping.parse("8080:80")), () -> "podman"));
        });
    }

    @Test
    void anyStringAtAll() {
        Fuzz.forAll(2000, g -> g.string(255), s -> {
            parseOrInvalid(s, Signals::parse);
            parseOrInvalid(s, Units::parseBytes);
            parseOrInvalid(s, Units::parseNanoCpus);
            parseOrInvalid(s, m -> NetworkModes.parse(m, List.of(), () -> "podman"));
        });
    }
}
