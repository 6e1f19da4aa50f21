package berth.kernel.json;

/**
 * A value that is already JSON text, written as it is: a large constant part of a document (a
 * translated seccomp profile) costs a copy instead of a walk over maps and lists. The writer trusts
 * the text; callers make it with {@link Json#write}.
 */
public final class RawJson {
    private final String text;

    public RawJson(String text) {
        this.text = text;
    }

    public String text() {
        return text;
    }

    @Override
    public String toString() {
        return text;
    }
}
