package berth.image.overlay;

import berth.kernel.json.JsonObject;

/** A containers.json record, in containers/storage's field names. */
final class ContainerRecord {
    /** c/storage's flag for a layer mounted without syncs (podman sets it for {@code run --rm}). */
    static final String VOLATILE = "Volatile";

    final JsonObject json;

    ContainerRecord(JsonObject json) {
        this.json = json;
    }

    String id() {
        return json.str("id");
    }

    String name() {
        var names = json.strings("names");
        return names.isEmpty() ? "" : names.get(0);
    }

    String image() {
        return json.str("image", "");
    }

    String layer() {
        return json.str("layer", "");
    }

    boolean isVolatile() {
        return json.obj("flags") != null && json.obj("flags").bool(VOLATILE, false);
    }
}
