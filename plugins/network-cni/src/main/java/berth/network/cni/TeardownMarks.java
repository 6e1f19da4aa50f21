package berth.network.cni;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A mark per container while its CNI teardown runs (RUNDIR/cni-teardown/ID). A teardown that finds
 * the mark follows one that was cut short (a killed berth), and must sweep iptables: the bridge
 * plugin learns the addresses whose masquerade rule it deletes from the container's veth, so once an
 * earlier DEL deleted the veth, a second DEL cannot find that rule.
 */
final class TeardownMarks {
    private final Path dir;

    TeardownMarks(Path dir) {
        this.dir = dir;
    }

    /** Marks the teardown begun; true when an earlier one was cut short (or the mark cannot be written). */
    boolean begin(String containerId) {
        Path mark = dir.resolve(containerId);
        try {
            Files.createDirectories(dir);
            Files.createFile(mark);
            return false;
        } catch (FileAlreadyExistsException e) {
            return true;
        } catch (IOException e) {
            return true; // without a mark, assume the worst: sweep
        }
    }

    /** Whether an earlier teardown was begun and not ended (its berth died in it). */
    boolean isUnderWay(String containerId) {
        return Files.exists(dir.resolve(containerId));
    }

    void end(String containerId) {
        try {
            Files.deleteIfExists(dir.resolve(containerId));
        } catch (IOException e) {
            // the next teardown of this container, if any, sweeps once more
        }
    }
}
