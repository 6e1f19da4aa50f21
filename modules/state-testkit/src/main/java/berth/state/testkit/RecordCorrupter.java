package berth.state.testkit;

import java.nio.file.Path;

/**
 * A backend-specific way to damage one stored container record, for
 * {@link StateStoreConformanceSuite#assertCorruptRecordIsReported}. The store is closed while it runs.
 */
@FunctionalInterface
public interface RecordCorrupter {
    /**
     * Damages the stored record of container {@code id} in the store under {@code staticDir}.
     *
     * @return text that the store's report of the damage must contain (the damaged file's path)
     */
    String corrupt(Path staticDir, String id) throws Exception;
}
