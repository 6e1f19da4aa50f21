package berth.kernel.spi.runtime;

import java.time.Instant;

/** How a container's process ended, as its monitor recorded it. */
public record ExitStatus(int exitCode, boolean oomKilled, Instant finishedAt) {
}
