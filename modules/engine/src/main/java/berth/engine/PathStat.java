package berth.engine;

import java.time.Instant;

/** A file in a container, as {@code cp} and the Docker API's archive endpoints describe it. */
public record PathStat(String name, long size, int mode, Instant modified, String linkTarget, boolean directory) {
}
