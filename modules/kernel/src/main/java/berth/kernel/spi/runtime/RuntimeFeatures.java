package berth.kernel.spi.runtime;

/** What a runtime can do beyond the basics, so the engine can refuse early and clearly. */
public record RuntimeFeatures(boolean jsonErrors, boolean checkpoint, boolean pause, boolean killAll) {
}
