package berth.support;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;

/**
 * The rules for names and IDs, in one place so that the engine, the state stores and the network
 * backends accept the same strings. A name is podman's {@code [a-zA-Z0-9][a-zA-Z0-9_.-]*}; an ID is
 * 64 lower-case hex digits and is shown by its first 12. The checks are plain loops, not regular
 * expressions: no pattern is compiled at start-up.
 */
public final class Names {
    /** The name rule as users are told it. */
    public static final String NAME_RULE = "[a-zA-Z0-9][a-zA-Z0-9_.-]*";
    /** Characters of an ID. */
    public static final int ID_LENGTH = 64;
    /** Characters of a short ID, as {@code ps} shows it. */
    public static final int SHORT_ID_LENGTH = 12;

    private Names() {
    }

    /** Whether {@code s} matches {@link #NAME_RULE} (null and empty do not). */
    public static boolean isValidName(String s) {
        return isValidName(s, Integer.MAX_VALUE);
    }

    /** Whether {@code s} matches {@link #NAME_RULE} and has at most {@code maxLength} characters. */
    public static boolean isValidName(String s, int maxLength) {
        if (s == null || s.isEmpty() || s.length() > maxLength || !isAlnum(s.charAt(0))) {
            return false;
        }
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!isAlnum(c) && c != '_' && c != '.' && c != '-') {
                return false;
            }
        }
        return true;
    }

    /**
     * Returns {@code name} when valid.
     *
     * @param kind what is named, e.g. "container" or "network", for the message
     * @throws BerthException {@link ErrorCode#INVALID_ARGUMENT}: {@code invalid container name "x y":
     *     names must match [a-zA-Z0-9][a-zA-Z0-9_.-]*}
     */
    public static String requireValidName(String kind, String name) {
        if (!isValidName(name)) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "invalid " + kind + " name \"" + name
                    + "\": names must match " + NAME_RULE);
        }
        return name;
    }

    /**
     * Returns {@code value} when it can be used as a single file name: not null or empty, no
     * {@code /}, not beginning with a dot (so neither {@code .}, {@code ..} nor a hidden temp file).
     * A looser check than {@link #requireValidName}, for stores that key files by a name.
     *
     * @param what e.g. "container name", for the message
     * @throws BerthException {@link ErrorCode#INVALID_ARGUMENT}: {@code invalid container name "../x"}
     */
    public static String requireFileSafe(String what, String value) {
        if (value == null || value.isEmpty() || value.indexOf('/') >= 0 || value.charAt(0) == '.') {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "invalid " + what + " \"" + value + "\"");
        }
        return value;
    }

    /** Whether {@code s} is a full ID: exactly 64 lower-case hex digits. */
    public static boolean isFullId(String s) {
        if (s == null || s.length() != ID_LENGTH) {
            return false;
        }
        for (int i = 0; i < ID_LENGTH; i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    /**
     * Returns {@code id} when it is a full ID.
     *
     * @throws BerthException {@link ErrorCode#INVALID_ARGUMENT}: {@code invalid container ID "xyz":
     *     an ID is 64 hex digits}
     */
    public static String requireFullId(String kind, String id) {
        if (!isFullId(id)) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "invalid " + kind + " ID \"" + id
                    + "\": an ID is " + ID_LENGTH + " lower-case hex digits");
        }
        return id;
    }

    /** The first 12 characters of {@code id}, or {@code id} itself when shorter (null stays null). */
    public static String shortId(String id) {
        return id == null || id.length() <= SHORT_ID_LENGTH ? id : id.substring(0, SHORT_ID_LENGTH);
    }

    private static boolean isAlnum(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
    }
}
