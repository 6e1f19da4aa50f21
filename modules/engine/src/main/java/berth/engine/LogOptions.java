package berth.engine;

import java.time.Instant;

/**
 * {@code berth logs} options: follow, the last N lines (-1 for all), timestamps, only lines written
 * at or after {@code since} and at or before {@code until} (null: no bound), and {@code names}: each
 * line prefixed by its container's name (several containers are prefixed by their short IDs anyway).
 */
public record LogOptions(boolean follow, int tail, boolean timestamps, Instant since, Instant until, boolean names) {
    public LogOptions(boolean follow, int tail, boolean timestamps) {
        this(follow, tail, timestamps, null, null, false);
    }
}
