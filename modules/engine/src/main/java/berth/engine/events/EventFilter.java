package berth.engine.events;

import berth.kernel.error.ErrorCode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * podman's event filters ({@code libpod/events/filters.go}): {@code container}, {@code event}/{@code status},
 * {@code image}, {@code pod}, {@code volume}, {@code type} and {@code label} (key names in any case),
 * plus {@code --since}/{@code --until}. Filters under the same key (as written) are alternatives; every
 * key must match.
 */
public final class EventFilter implements Predicate<Event> {
    private final Map<String, List<EventFilterTerm>> byKey;
    /** Whether every term can be tested on a scanned line ({@link EventFilterTerm#onText()}). */
    private final boolean onText;
    private final Instant until;
    /** Per key whose values a log line must hold literally, those values quoted (see {@link #mayMatch}). */
    private final List<List<String>> needles;
    /** {@link #needles} as ASCII bytes, for the log read as bytes. */
    private final byte[][][] byteNeedles;

    private EventFilter(Map<String, List<EventFilterTerm>> byKey, Instant until, List<List<String>> needles) {
        this.byKey = byKey;
        boolean text = true;
        for (List<EventFilterTerm> terms : byKey.values()) {
            for (EventFilterTerm t : terms) {
                text &= t.onText();
            }
        }
        this.onText = text;
        this.until = until;
        this.needles = needles;
        this.byteNeedles = new byte[needles.size()][][];
        for (int k = 0; k < byteNeedles.length; k++) {
            List<String> any = needles.get(k);
            byteNeedles[k] = new byte[any.size()][];
            for (int v = 0; v < any.size(); v++) {
                byteNeedles[k][v] = any.get(v).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            }
        }
    }

    /** Everything passes. */
    public static EventFilter none() {
        return new EventFilter(Map.of(), null, List.of());
    }

    /**
     * Parses {@code --filter} values and the since/until flags (null when not given), as podman does;
     * a bad one is podman's error ({@code failed to parse event filters: ...}), exit code 125.
     */
    public static EventFilter parse(List<String> filters, String since, String until, Instant now) {
        Map<String, List<EventFilterTerm>> byKey = new LinkedHashMap<>();
        Map<String, List<String>> literal = new LinkedHashMap<>();
        for (String f : filters) {
            int eq = f.indexOf('=');
            if (eq < 0) {
                throw error(f + " is an invalid filter");
            }
            String key = f.substring(0, eq);
            String value = f.substring(eq + 1);
            byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(one(key, value));
            literal.computeIfAbsent(key, k -> new ArrayList<>()).add(literalIn(key, value));
        }
        List<List<String>> needles = new ArrayList<>();
        literal.values().stream().filter(vs -> !vs.contains(null)).forEach(vs -> needles.add(List.copyOf(vs)));
        Instant untilTime = null;
        if (since != null && !since.isEmpty()) {
            Instant t = time(since, true, now, "since");
            byKey.put("since", List.of(new EventFilterTerm(EventFilterTerm.SINCE, null, null, t)));
        }
        if (until != null && !until.isEmpty()) {
            Instant t = time(until, false, now, "until");
            untilTime = t;
            byKey.put("until", List.of(new EventFilterTerm(EventFilterTerm.UNTIL, null, null, t)));
        }
        return new EventFilter(byKey, untilTime, List.copyOf(needles));
    }

    /**
     * What a line that passes this filter under {@code key} must contain: for event/status and type, the
     * value in quotes, when it is made only of characters that Go's JSON encoder (podman's) and berth's
     * write as they are; null when no such text can be named.
     */
    private static String literalIn(String key, String value) {
        String k = key.toUpperCase(Locale.ROOT);
        if (!(k.equals("EVENT") || k.equals("STATUS") || k.equals("TYPE")) || value.isEmpty()) {
            return null;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.')) {
                return null;
            }
        }
        return "\"" + value + "\"";
    }

    /**
     * False when the log line cannot hold an event that passes: a check on the raw text, before the
     * line is decoded (an event=died filter over a day's log decodes one line in nine). True means only
     * that the decoded event must still be tested.
     */
    public boolean mayMatch(String line) {
        return mayMatch(line, 0, line.length());
    }

    /** {@link #mayMatch(String)} of the line {@code log[from, to)}, searched in place. */
    public boolean mayMatch(String log, int from, int to) {
        for (List<String> any : needles) {
            boolean found = false;
            for (String n : any) {
                if (contains(log, from, to, n)) {
                    found = true;
                    break;
                }
            }
            if (!found) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@link #mayMatch(String, int, int)} of the line {@code log[from, to)} in the log's UTF-8 bytes: the
     * needles are ASCII, and no byte of a multi-byte character is.
     */
    public boolean mayMatch(byte[] log, int from, int to) {
        for (int k = 0; k < byteNeedles.length; k++) {
            boolean found = false;
            for (byte[] n : byteNeedles[k]) {
                if (contains(log, from, to, n)) {
                    found = true;
                    break;
                }
            }
            if (!found) {
                return false;
            }
        }
        return true;
    }

    private static boolean contains(byte[] s, int from, int to, byte[] n) {
        int len = n.length;
        byte first = n[1];
        for (int at = from + 1; at - 1 + len <= to; at++) {
            if (s[at] == first && s[at - 1] == '"') {
                int k = 2;
                while (k < len && s[at - 1 + k] == n[k]) {
                    k++;
                }
                if (k == len) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The log read to choose an anchor (see {@link #anchor}): some 60 lines of podman's. */
    private static final int SAMPLE = 16 * 1024;

    /**
     * A needle that every passing line holds, the rarest in the first lines of {@code log[from, to)},
     * when it is in at most half of them: only the lines that hold it need be read. Null when there
     * is none (a key with several values, values without a literal, a needle in most lines).
     */
    EventNeedle anchor(byte[] log, int from, int to) {
        int end = Math.min(to, from + SAMPLE);
        EventNeedle best = null;
        int fewest = Integer.MAX_VALUE;
        for (byte[][] any : byteNeedles) {
            if (any.length == 1) {
                EventNeedle n = new EventNeedle(any[0]);
                int hits = n.count(log, from, end);
                if (hits < fewest) {
                    best = n;
                    fewest = hits;
                }
            }
        }
        if (best == null) {
            return null;
        }
        int lines = 0;
        for (int k = from; k < end; k++) {
            if (log[k] == '\n') {
                lines++;
            }
        }
        return fewest * 2 <= lines ? best : null;
    }

    /** Whether every event passes (no filter, no since or until): no line need be decoded to be tested. */
    boolean passesAll() {
        return byKey.isEmpty();
    }

    /** Whether {@code s[from, to)} holds {@code n}, a quoted value: found by its first letter, rarer than quotes. */
    private static boolean contains(String s, int from, int to, String n) {
        int len = n.length();
        char first = n.charAt(1);
        for (int at = s.indexOf(first, from + 1); at >= 0 && at - 1 + len <= to; at = s.indexOf(first, at + 1)) {
            if (s.regionMatches(at - 1, n, 0, len)) {
                return true;
            }
        }
        return false;
    }

    /** The {@code --until} time, or null: a stream ends there. */
    public Instant until() {
        return until;
    }

    private static Instant time(String value, boolean since, Instant now, String which) {
        try {
            return InputTime.parse(value, since, now);
        } catch (IllegalArgumentException e) {
            throw error("unable to convert " + which + " time of " + value + ": " + e.getMessage());
        }
    }

    private static EventFilterTerm one(String key, String value) {
        int kind = switch (key.toUpperCase(Locale.ROOT)) {
            case "CONTAINER" -> EventFilterTerm.CONTAINER;
            case "EVENT", "STATUS" -> EventFilterTerm.STATUS;
            case "IMAGE" -> EventFilterTerm.IMAGE;
            case "POD" -> EventFilterTerm.POD;
            case "VOLUME" -> EventFilterTerm.VOLUME;
            case "TYPE" -> EventFilterTerm.TYPE;
            case "LABEL" -> EventFilterTerm.LABEL;
            default -> throw error(key + " is an invalid filter");
        };
        if (kind == EventFilterTerm.LABEL) {
            int eq = value.indexOf('=');
            return eq < 0 ? new EventFilterTerm(kind, null, value, null)
                    : new EventFilterTerm(kind, value.substring(eq + 1), value.substring(0, eq), null);
        }
        return new EventFilterTerm(kind, value, null, null);
    }

    private static EventsError error(String what) {
        return new EventsError(ErrorCode.INVALID_ARGUMENT, "failed to parse event filters: " + what);
    }

    @Override
    public boolean test(Event e) {
        for (List<EventFilterTerm> alternatives : byKey.values()) {
            boolean any = false;
            for (EventFilterTerm t : alternatives) {
                if (t.test(e)) {
                    any = true;
                    break;
                }
            }
            if (!any) {
                return false;
            }
        }
        return true;
    }

    /** {@link #test(Event)} of a line scanned in the log's bytes, without an Event unless a time is tested. */
    boolean test(EventLineScan s) {
        if (!onText) {
            return test(s.event());
        }
        for (List<EventFilterTerm> alternatives : byKey.values()) {
            boolean any = false;
            for (EventFilterTerm t : alternatives) {
                if (t.test(s)) {
                    any = true;
                    break;
                }
            }
            if (!any) {
                return false;
            }
        }
        return true;
    }
}
