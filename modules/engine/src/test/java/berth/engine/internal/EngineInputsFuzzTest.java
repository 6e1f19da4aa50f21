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
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * Hostile container inputs parsed by the engine (jqwik): {@code --signal}/{@code --stop-signal},
 * {@code --memory}, {@code --cpus} and {@code --network}. Any string gives a sensible value or a
 * {@link BerthException} with {@link ErrorCode#INVALID_ARGUMENT} naming the input — never a
 * NumberFormatException, an IndexOutOfBoundsException, a NullPointerException or a silent 0.
 *
 * <p>CI runs a fixed seed and the tries below (about a second); {@code -Dberth.fuzz.factor=100} or
 * {@code -Dberth.fuzz.seed=random} run longer or elsewhere (see {@link Fuzz}). Inputs that ever failed
 * are kept in {@link EngineInputsCorpusTest}.
 */
@AddLifecycleHook(Fuzz.Budget.class)
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

    @Provide
    Arbitrary<String> inputs() {
        Arbitrary<String> pieces = Arbitraries.oneOf(
                Arbitraries.of("SIG", "sig", "TERM", "kill", "RTMIN", "+", "-", ".", "e", "E", "1", "0", "15", "64", "65",
                        "2147483648", "NaN", "Infinity", "0x1p3", "f", "d", "b", "k", "m", "g", "t", "KB", " ", "\t",
                        "1e-12", "1e30", "٣", ":", ",", "=", "none", "host", "bridge", "slirp4netns", "private", "mynet",
                        "ip=10.0.0.1", "/", "..", "\u0000", "é"),
                Arbitraries.strings().ofMaxLength(4),
                Arbitraries.doubles().map(String::valueOf),
                Arbitraries.longs().map(String::valueOf));
        return pieces.list().ofMaxSize(6).map(l -> String.join("", l));
    }

    @Property(tries = 3000)
    void signals(@ForAll("inputs") String s) {
        if (parseOrInvalid(s, Signals::parse) instanceof Integer n) {
            assertTrue(n >= 1 && n <= 64, s + " -> " + n);
        }
    }

    @Property(tries = 3000)
    void sizes(@ForAll("inputs") String s) {
        if (parseOrInvalid(s, Units::parseBytes) instanceof Long n) {
            assertTrue(n >= 1 && n < Long.MAX_VALUE, s + " -> " + n);
        }
    }

    @Property(tries = 3000)
    void cpus(@ForAll("inputs") String s) {
        if (parseOrInvalid(s, Units::parseNanoCpus) instanceof Long n) {
            assertTrue(n >= 1 && n < Long.MAX_VALUE, s + " -> " + n);
        }
    }

    @Property(tries = 3000)
    void networkModes(@ForAll("inputs") String s) {
        if (parseOrInvalid(s, m -> NetworkModes.parse(m, List.of(), () -> "podman")) instanceof NetworkSpec n) {
            n.networks().forEach(name -> assertTrue(berth.support.Names.isValidName(name), s + " -> network " + name));
        }
        parseOrInvalid(s, m -> NetworkModes.parse(m, List.of(PortMapping.parse("8080:80")), () -> "podman"));
    }

    @Property(tries = 2000)
    void anyStringAtAll(@ForAll String s) {
        parseOrInvalid(s, Signals::parse);
        parseOrInvalid(s, Units::parseBytes);
        parseOrInvalid(s, Units::parseNanoCpus);
        parseOrInvalid(s, m -> NetworkModes.parse(m, List.of(), () -> "podman"));
    }
}
