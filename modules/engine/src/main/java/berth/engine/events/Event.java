package berth.engine.events;

import java.time.OffsetDateTime;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * One line of the events log: podman's {@code events.Event}. Strings are "" when absent (podman
 * omits them from the JSON); {@code attributes} is null when podman writes {@code "Attributes":null}
 * (image, volume, network and system events) and the container's labels otherwise.
 *
 * @param time when it happened, with the offset it was written with (podman prints it as it reads it)
 * @param status podman's status text ({@link EventStatus#text()}); kept as text: a log may hold ones berth never writes
 * @param id the container's or image's ID; "" for volumes
 * @param name the container's, image's or volume's name (for images: the reference the step used)
 * @param image a container's image as the user named it
 * @param network the network of a connect/disconnect (or network create/remove) event
 * @param exitCode a died or exec_died event's exit code
 */
public record Event(OffsetDateTime time, EventType type, String status, String id, String name, String image, String network,
                    int exitCode, String podId, String healthStatus, Map<String, String> attributes) {
    public Event {
        id = orEmpty(id);
        name = orEmpty(name);
        image = orEmpty(image);
        network = orEmpty(network);
        podId = orEmpty(podId);
        healthStatus = orEmpty(healthStatus);
        // sorted: Go writes a map's keys in order, and a stable order makes the human form stable too
        if (attributes != null && attributes.getClass() != SORTED_VIEW) {
            attributes = Collections.unmodifiableSortedMap(new TreeMap<>(attributes));
        }
    }

    /** A sorted, unmodifiable view: the line parser makes its maps so, and they are not copied again. */
    private static final Class<?> SORTED_VIEW = Collections.unmodifiableSortedMap(new TreeMap<>()).getClass();

    /** The attributes as {@link Event} keeps them, for a map nobody else holds (the line parser's). */
    static Map<String, String> sortedView(TreeMap<String, String> owned) {
        return Collections.unmodifiableSortedMap(owned);
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    /** podman's {@code ToHumanReadable}: the default line of {@code events}. */
    public String humanReadable(boolean truncate) {
        StringBuilder sb = new StringBuilder(256);
        appendHumanReadable(sb, truncate);
        return sb.toString();
    }

    /** {@link #humanReadable}, appended to {@code sb}. */
    public void appendHumanReadable(StringBuilder sb, boolean truncate) {
        String shownId = truncate ? truncateId(id) : id;
        GoTime.appendDisplay(sb, time);
        sb.append(' ').append(type.text()).append(' ').append(status);
        switch (type) {
            case CONTAINER, POD -> {
                sb.append(' ').append(shownId).append(" (image=").append(image).append(", name=").append(name);
                if (!podId.isEmpty()) {
                    sb.append(", pod_id=").append(podId);
                }
                if (!healthStatus.isEmpty()) {
                    sb.append(", health_status=").append(healthStatus);
                }
                if (attributes != null) {
                    attributes.forEach((k, v) -> sb.append(", ").append(k).append('=').append(v));
                }
                sb.append(')');
            }
            case NETWORK -> sb.append(' ').append(shownId).append(" (container=").append(shownId).append(", name=").append(network).append(')');
            case IMAGE -> sb.append(' ').append(shownId).append(' ').append(name);
            case SYSTEM -> {
                if (!name.isEmpty()) {
                    sb.append(' ').append(name);
                }
            }
            case VOLUME, MACHINE -> sb.append(' ').append(name);
        }
    }

    /** containers/storage's {@code stringid.TruncateID}: no algorithm prefix, 12 characters. */
    static String truncateId(String id) {
        int colon = id.indexOf(':');
        String s = colon >= 0 ? id.substring(colon + 1) : id;
        return s.length() > 12 ? s.substring(0, 12) : s;
    }

    /** The fields as podman's Go templates name them ({@code {{.ID}}}, {@code {{.Attributes.KEY}}}, ...). */
    public Map<String, Object> templateFields() {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("ContainerExitCode", exitCode);
        m.put("ID", id);
        m.put("Image", image);
        m.put("Name", name);
        m.put("Network", network);
        m.put("Status", status);
        m.put("Time", GoTime.display(time));
        m.put("Type", type.text());
        m.put("HealthStatus", healthStatus);
        m.put("PodID", podId);
        m.put("Attributes", attributes == null ? Map.of() : attributes);
        return m;
    }
}
