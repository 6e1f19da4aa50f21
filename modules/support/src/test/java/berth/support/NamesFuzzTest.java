package berth.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.testsupport.Fuzz;
import java.time.Duration;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * Hostile names and IDs for {@link Names} (jqwik): the checks agree with {@link Names#NAME_RULE} and
 * the ID rule, and every refusal is a {@link BerthException} with {@link ErrorCode#INVALID_ARGUMENT}
 * naming the input — never another exception.
 *
 * <p>CI runs a fixed seed and the tries below (about a second); {@code -Dberth.fuzz.factor=100} or
 * {@code -Dberth.fuzz.seed=random} run longer or elsewhere (see {@link Fuzz}).
 */
@AddLifecycleHook(Fuzz.Budget.class)
class NamesFuzzTest {
    private static final Pattern NAME = Pattern.compile(Names.NAME_RULE);
    private static final Pattern ID = Pattern.compile("[0-9a-f]{64}");

    @Provide
    Arbitrary<String> names() {
        return Arbitraries.oneOf(
                Arbitraries.strings().withChars("aZ09_.-/ \u0000é\n").ofMaxLength(12),
                Arbitraries.strings().ofMaxLength(12),
                Arbitraries.strings().withChars("0123456789abcdefABCDEFg").ofMinLength(62).ofMaxLength(66));
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

    @Property(tries = 3000)
    void namesFollowTheRule(@ForAll("names") String s) {
        boolean valid = NAME.matcher(s).matches();
        assertEquals(valid, Names.isValidName(s), s);
        refusedNaming(s, () -> Names.requireValidName("container", s), valid);
        refusedNaming(s, () -> Names.requireFileSafe("container name", s), !s.isEmpty() && s.indexOf('/') < 0 && !s.startsWith("."));
    }

    @Property(tries = 3000)
    void idsFollowTheRule(@ForAll("names") String s) {
        boolean valid = ID.matcher(s).matches();
        assertEquals(valid, Names.isFullId(s), s);
        refusedNaming(s, () -> Names.requireFullId("container", s), valid);
        String shortId = Names.shortId(s);
        assertTrue(s.startsWith(shortId) && shortId.length() <= Names.SHORT_ID_LENGTH, shortId);
    }
}
