package berth.kernel.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.testsupport.Fuzz;
import java.time.Duration;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Hostile container inputs parsed by the kernel's model (seeded JUnit loops on {@link Fuzz}): {@code -v} and {@code --tmpfs} mount
 * specs, {@code -p} port specs and {@code --restart} policies. Any string gives a value or a
 * {@link BerthException} with {@link ErrorCode#INVALID_ARGUMENT} whose message names the input —
 * never a NumberFormatException, an IndexOutOfBoundsException or a NullPointerException.
 *
 * <p>CI runs a fixed seed and the tries below (about a second in all); {@code -Dberth.fuzz.factor=100}
 * or {@code -Dberth.fuzz.seed=random} run longer or elsewhere (see {@link Fuzz}). Inputs that ever
 * failed are kept in {@link InputSpecsCorpusTest}.
 */
class InputSpecsFuzzTest {
    /** Parses, or fails with INVALID_ARGUMENT naming the input; returns the value or the error. */
    static <T> Object parseOrInvalid(String input, Function<String, T> parser) {
        return Fuzz.within(Duration.ofSeconds(5), () -> {
            try {
                return parser.apply(input);
            } catch (BerthException e) {
                assertEquals(ErrorCode.INVALID_ARGUMENT, e.code(), e.getMessage());
                assertTrue(names(e, input), "the error does not name the input \"" + input + "\": " + e.getMessage());
                return e;
            }
        });
    }

    /**
     * Whether the message names the input. BerthException puts its code text at the end of the first
     * line (later lines are hints), so an input with a line break is named around that text.
     */
    static boolean names(BerthException e, String input) {
        String m = e.getMessage();
        return m.contains(input) || m.replaceFirst(": " + Pattern.quote(e.code().text()) + "\n", "\n").contains(input);
    }

    static final String[] PIECES = {":", ":", "/", ",", "=", ".", "-", "+", " ", "ro", "rw", "Z", "tcp", "udp", "sctp",
        "/tmp", "/data", "0", "1", "80", "65535", "65536", "-1", "99999999999", "on-failure", "always",
        "no", "unless-stopped", "127.0.0.1", "::1", "[", "]", "\u0000", "é", "0x10", "1e3", "NaN"};

    /** Strings near the grammar of the specs: their separators, digits, paths, signs and noise. */
    static String spec(Fuzz.Gen g) {
        return g.join(8, () -> g.oneOf(() -> g.pick(PIECES), () -> g.string(4), () -> String.valueOf(g.anyInt())));
    }

    @Test
    void volumes() {
        Fuzz.forAll(3000, InputSpecsFuzzTest::spec, spec -> {
            if (parseOrInvalid(spec, MountSpec::parseVolume) instanceof MountSpec m) {
                assertTrue(m.source().startsWith("/") && m.destination().startsWith("/"), m.toString());
            }
        });
    }

    @Test
    void tmpfs() {
        Fuzz.forAll(3000, InputSpecsFuzzTest::spec, spec -> {
            if (parseOrInvalid(spec, MountSpec::parseTmpfs) instanceof MountSpec m) {
                assertTrue(m.destination().startsWith("/"), m.toString());
            }
        });
    }

    @Test
    void ports() {
        Fuzz.forAll(3000, InputSpecsFuzzTest::spec, spec -> {
            if (parseOrInvalid(spec, PortMapping::parse) instanceof PortMapping p) {
                assertTrue(p.hostPort() >= 1 && p.hostPort() <= 65535 && p.containerPort() >= 1 && p.containerPort() <= 65535, p.toString());
            }
        });
    }

    @Test
    void restartPolicies() {
        Fuzz.forAll(3000, InputSpecsFuzzTest::spec, spec -> {
            if (parseOrInvalid(spec, RestartPolicy::parse) instanceof RestartPolicy r) {
                assertTrue(r.maxRetries() >= 0, r.toString());
            }
        });
    }

    @Test
    void anyStringAtAll() {
        Fuzz.forAll(2000, g -> g.string(255), s -> {
            parseOrInvalid(s, MountSpec::parseVolume);
            parseOrInvalid(s, MountSpec::parseTmpfs);
            parseOrInvalid(s, PortMapping::parse);
            parseOrInvalid(s, RestartPolicy::parse);
        });
    }
}
