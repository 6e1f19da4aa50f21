package berth.kernel.model;

import java.util.List;

/**
 * What one removal did, as {@code rmi} reports it.
 *
 * @param untagged the names taken off ({@code Untagged: NAME})
 * @param deleted the image ids deleted ({@code Deleted: ID}); empty when the image kept other names
 */
public record ImageRemoval(List<String> untagged, List<String> deleted) {
    public ImageRemoval {
        untagged = List.copyOf(untagged);
        deleted = List.copyOf(deleted);
    }
}
