package berth.engine.events;

/** What an event is about: podman's event types, with their text in the log. */
public enum EventType {
    CONTAINER("container"),
    IMAGE("image"),
    NETWORK("network"),
    POD("pod"),
    SYSTEM("system"),
    VOLUME("volume"),
    MACHINE("machine");

    private final String text;

    EventType(String text) {
        this.text = text;
    }

    public String text() {
        return text;
    }

    /** The type with this text, or null for one podman does not know. */
    public static EventType of(String text) {
        for (EventType t : values()) {
            if (t.text.equals(text)) {
                return t;
            }
        }
        return null;
    }
}
