package berth.kernel.spi.state;

import berth.kernel.model.Container;
import java.util.List;
import java.util.Optional;

/**
 * The state contract (libpod's State, seed 004 and its callers): containers by full ID, unique ID
 * prefix or name; one name-and-ID namespace; atomic, durable writes that several berth processes may
 * make at once. Errors are {@link berth.kernel.error.BerthException}s with the sentinel codes
 * NO_SUCH_CONTAINER, NAME_IN_USE, CONTAINER_EXISTS, AMBIGUOUS_ID, STATE_CORRUPT.
 */
public interface StateStore extends AutoCloseable {
    /** The backend's id, e.g. "file". */
    String backend();

    /** Adds a new container; its ID and name must both be unused. */
    void addContainer(Container container);

    /**
     * Adds a container whose lock the engine allocated in a shared lock manager (podman's SHM
     * locks); a store whose records carry lock numbers (libpod's lockID) records it, others ignore it.
     */
    default void addContainer(Container container, int lockNumber) {
        addContainer(container);
    }

    /**
     * True when podman reads this store's records (libpod's bolt database): the engine then keeps what
     * podman expects beside each record, such as a storage entry for a {@code --rootfs} container.
     */
    default boolean readByPodman() {
        return false;
    }

    /** The container's number in a shared lock manager, when its record carries one (libpod's lockID). */
    default java.util.OptionalInt lockNumber(String id) {
        return java.util.OptionalInt.empty();
    }

    /** Replaces the stored state (and config) of an existing container. */
    void saveContainer(Container container);

    /** Removes a container and frees its name. */
    void removeContainer(String id);

    /** The container with exactly this ID. */
    Container container(String id);

    /** Resolves a name, a full ID or a unique ID prefix, in that order. */
    Container lookupContainer(String idOrName);

    /** Like {@link #lookupContainer} but empty instead of NO_SUCH_CONTAINER. */
    default Optional<Container> findContainer(String idOrName) {
        try {
            return Optional.of(lookupContainer(idOrName));
        } catch (berth.kernel.error.BerthException e) {
            if (e.code() == berth.kernel.error.ErrorCode.NO_SUCH_CONTAINER) {
                return Optional.empty();
            }
            throw e;
        }
    }

    boolean hasContainer(String id);

    /** Every container. A corrupt record is reported (through the store's warning sink) and skipped. */
    List<Container> allContainers();

    /** IDs of the containers whose dependencies include {@code id}. */
    default List<String> dependents(String id) {
        List<String> out = new java.util.ArrayList<>();
        for (Container c : allContainers()) {
            if (c.config().dependencies().contains(id)) {
                out.add(c.id());
            }
        }
        return out;
    }

    // ---- named volumes (libpod's volume records); which containers use one is the engine's question

    /** Adds a volume; VOLUME_EXISTS when the name is taken. */
    void addVolume(berth.kernel.model.Volume volume);

    /** Replaces the record of an existing volume (its state: copy-up done); NO_SUCH_VOLUME otherwise. */
    void saveVolume(berth.kernel.model.Volume volume);

    /** Removes a volume's record; NO_SUCH_VOLUME when there is none. */
    void removeVolume(String name);

    /** The volume with exactly this name, or NO_SUCH_VOLUME. */
    berth.kernel.model.Volume volume(String name);

    /** Like {@link #volume} but empty instead of NO_SUCH_VOLUME. */
    default Optional<berth.kernel.model.Volume> findVolume(String name) {
        try {
            return Optional.of(volume(name));
        } catch (berth.kernel.error.BerthException e) {
            if (e.code() == berth.kernel.error.ErrorCode.NO_SUCH_VOLUME) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Every volume, by name. A corrupt record is reported and skipped. */
    List<berth.kernel.model.Volume> allVolumes();

    /** The paths this store was created with. */
    DbConfig dbConfig();

    @Override
    void close();
}
