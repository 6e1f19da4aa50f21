package berth.kernel.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Inputs that {@link InputSpecsFuzzTest} once found failing, checked as plain JUnit regressions. */
class InputSpecsCorpusTest {
    private static void invalidNamingInput(String input, Function<String, ?> parser) {
        BerthException e = assertThrows(BerthException.class, () -> parser.apply(input), input);
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        assertTrue(e.getMessage().contains("\"" + input + "\""), e.getMessage());
    }

    /** Integer.parseInt reads any script's digits: "༠" was port 0, "٨٠٨٠:٨٠" was 8080:80. */
    @Test
    void portsAreAsciiDigits() {
        for (String bad : List.of("༠", "٨٠٨٠:٨٠", "+80", "80:+80", "1.2.3.4:٨٠:80")) {
            invalidNamingInput(bad, PortMapping::parse);
        }
        assertEquals(new PortMapping("", 8080, 80, "tcp"), PortMapping.parse("8080:80"));
    }

    /** A trailing colon was dropped by String.split: "80:" was 80:80 and "0:" failed naming only "host port 0". */
    @Test
    void aTrailingColonInAPortIsAnError() {
        for (String bad : List.of("80:", "0:", "0/", "1.2.3.4:80:", ":80")) {
            invalidNamingInput(bad, PortMapping::parse);
        }
    }

    @Test
    void portRangeAndProtocolErrorsNameTheSpec() {
        invalidNamingInput("0:80", PortMapping::parse);
        invalidNamingInput("80:65536", PortMapping::parse);
        invalidNamingInput("80:80/sctp", PortMapping::parse);
    }

    /** The destination check named only the destination ("mount destination must be ...: ,"). */
    @Test
    void volumeErrorsNameTheSpec() {
        for (String bad : List.of("::", "/:,", "/a:b", "/a::ro", "/a:/b:", "/a:/b:ro,")) {
            invalidNamingInput(bad, MountSpec::parseVolume);
        }
        assertEquals(List.of("ro"), MountSpec.parseVolume("/a:/b:ro").options());
    }

    @Test
    void tmpfsErrorsNameTheSpec() {
        for (String bad : List.of("", "x", ":/x", "/x:", "/x:size=1m,,ro")) {
            invalidNamingInput(bad, MountSpec::parseTmpfs);
        }
        assertEquals(List.of("size=1m", "ro"), MountSpec.parseTmpfs("/x:size=1m,ro").options());
    }

    /** The record's checks named no input ("restart policy always takes no retry count"); "٣" was 3. */
    @Test
    void restartPolicyErrorsNameTheSpec() {
        for (String bad : List.of("always:3", "no:1", "unless-stopped:2", "on-failure:-1", "on-failure:٣", "on-failure:+3", "on-failure:")) {
            invalidNamingInput(bad, RestartPolicy::parse);
        }
        assertEquals(new RestartPolicy(RestartPolicy.Kind.ON_FAILURE, 3), RestartPolicy.parse("on-failure:3"));
        assertEquals(RestartPolicy.Kind.ALWAYS, RestartPolicy.parse("always:0").kind());
    }
}
