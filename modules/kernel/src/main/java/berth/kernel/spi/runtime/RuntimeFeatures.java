package berth.kernel.spi.runtime;

/**
 * What a runtime can do beyond the basics, so the engine can refuse early and clearly.
 *
 * @param jsonErrors reports errors as JSON log lines
 * @param checkpoint can checkpoint and restore (CRIU)
 * @param pause can freeze and thaw
 * @param killAll can signal every process of the container ({@code kill --all})
 * @param needsNetnsPath cannot make a network namespace itself: the engine must hand it one by path
 *        (gVisor's runsc)
 */
public record RuntimeFeatures(boolean jsonErrors, boolean checkpoint, boolean pause, boolean killAll, boolean needsNetnsPath) {
}
