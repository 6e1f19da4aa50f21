package berth.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.model.PortMapping;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Inputs that {@link EngineInputsFuzzTest} once found failing, checked as plain JUnit regressions. */
class EngineInputsCorpusTest {
    private static void invalidNamingInput(String input, Function<String, ?> parser) {
        BerthException e = assertThrows(BerthException.class, () -> parser.apply(input), input);
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        assertTrue(e.getMessage().contains("\"" + input + "\""), e.getMessage());
    }

    /**
     * Double.parseDouble took "NaN" (a size of 0, i.e. no limit), "Infinity" and "1e30g" (Long.MAX_VALUE),
     * "1e-12" (0) and the "1f", "1d" and hex forms; a huge count saturated at Long.MAX_VALUE.
     */
    @Test
    void sizesArePlainDecimalsInRange() {
        for (String bad : List.of("NaN", "Infinity", "-Infinity", "1e30g", "1e3", "1f", "1d", "0x1p3", "1e-12", "0.1",
                "-1", "+1", "0", ".", "", "k", "9223372037g", "9223372036854775806", "٣")) {
            invalidNamingInput(bad, Units::parseBytes);
        }
        assertEquals(512L * 1024 * 1024, Units.parseBytes("512m"));
        assertEquals(1536L * 1024 * 1024, Units.parseBytes("1.5g"));
        assertEquals(1048576L, Units.parseBytes("1048576"));
        assertEquals(512L, Units.parseBytes(".5k"));
        assertEquals(2048L, Units.parseBytes(" 2KB "));
    }

    @Test
    void cpusArePlainDecimalsInRange() {
        for (String bad : List.of("NaN", "Infinity", "1e-10", "0.0000000001", "1f", "0x1p1", "-1", "0", "", ".", "9223372037")) {
            invalidNamingInput(bad, Units::parseNanoCpus);
        }
        assertEquals(1_500_000_000L, Units.parseNanoCpus("1.5"));
        assertEquals(1L, Units.parseNanoCpus("0.000000001"));
    }

    /** Integer.parseInt took "+15" and other scripts' digits ("١٥"). */
    @Test
    void signalNumbersAreAsciiDigits() {
        for (String bad : List.of("+15", "١٥", "015", "0", "65", "SIG")) {
            invalidNamingInput(bad, Signals::parse);
        }
        assertEquals(15, Signals.parse("15"));
        assertEquals(9, Signals.parse("sigkill"));
    }

    /** Any string that was no mode became a network's name: "../x", "+", "a b", "-97bridge". */
    @Test
    void aNetworkNameMustBeAName() {
        for (String bad : List.of("+", "-97bridge-1279", "../etc", "a b", "a/b:ip=1.2.3.4", "é")) {
            invalidNamingInput(bad, m -> NetworkModes.parse(m, List.of(), () -> "podman"));
        }
        assertEquals(List.of("my-net_1.x"), NetworkModes.parse("my-net_1.x", List.of(), () -> "podman").networks());
    }

    @Test
    void thePortErrorNamesTheWholeMode() {
        invalidNamingInput("none:x=1", m -> NetworkModes.parse(m, List.of(PortMapping.parse("8080:80")), () -> "podman"));
    }
}
