package berth.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.testsupport.Fuzz;
import java.time.Duration;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Hostile names and IDs for {@link Names} (seeded JUnit loops on {@link Fuzz}): the checks agree with {@link Names#NAME_RULE} and
 * the ID rule, and every refusal is a {@link BerthException} with {@link ErrorCode#INVALID_ARGUMENT}
 * naming the input — never another exception.
 *
 * <p>CI runs a fixed seed and the tries below (about a second); {@code -Dberth.fuzz.factor=100} or
 * {@code -Dberth.fuzz.seed=random} run longer or elsewhere (see {@link Fuzz}).
 */
class NamesFuzzTest {
    private static final Pattern NAME = Pattern.compile(Names.NAME_RULE);
    private static final Pattern ID = Pattern.compile("[0-9a-f]{64}");

    static String name(Fuzz.Gen g) {
        return g.oneOf(
                () -> g.string("aZ09_.-/ \u0000é\n", 0, 12),
                () -> g.string(12),
                () -> g.string("0123456789abcdefABCDEFg", 62, 66));
    }

    private static void refusedNaming(String input, Supplier<?> check, boolean valid) {
        Fuzz.within(Duration.ofSeconds(5), () -> {
            try {
                check.get();
                assertTrue(valid, "accepted \"" + input + "\"");
            } catch (BerthException e) {
                assertTrue(!valid, "refused \"" + input + "\": " + e.getMessage());
                assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
                // BerthException ends the first line with its code text: an input with a line break is named around it
                String m = e.getMessage().replaceFirst(": " + Pattern.quote(e.code().text()) + "\n", "\n");
                assertTrue(m.contains("\"" + input + "\""), e.getMessage());
            }
            return null;
        });
    }

    @Test
    void namesFollowTheRule() {
        Fuzz.forAll(3000, NamesFuzzTest::name, s -> {
            boolean valid = NAME.matcher(s).matches();
            assertEquals(valid, Names.isValidName(s), s);
            refusedNaming(s, () -> Names.requireValidName("container", s), valid);
            refusedNaming(s, () -> Names.requireFileSafe("container name", s), !s.isEmpty() && s.indexOf('/') < 0 && !s.startsWith("."));
        });
    }

    @Test
    void idsFollowTheRule() {
        Fuzz.forAll(3000, NamesFuzzTest::name, s -> {
            boolean valid = ID.matcher(s).matches();
            assertEquals(valid, Names.isFullId(s), s);
            refusedNaming(s, () -> Names.requireFullId("container", s), valid);
            String shortId = Names.shortId(s);
            assertTrue(s.startsWith(shortId) && shortId.length() <= Names.SHORT_ID_LENGTH, shortId);
        });
    }
}
