package berth.image.overlay;

import berth.kernel.json.JsonObject;

/** A containers.json record, in containers/storage's field names. */
final class ContainerRecord {
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
}
