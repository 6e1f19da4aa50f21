package berth.engine;

/** {@code berth logs} options: follow, the last N lines (-1 for all), timestamps. */
public record LogOptions(boolean follow, int tail, boolean timestamps) {
}
