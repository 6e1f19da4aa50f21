package berth.image.overlay;

import berth.kernel.json.JsonObject;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An images.json record, in containers/storage's field names. */
final class ImageRecord {
    final JsonObject json;

    ImageRecord(JsonObject json) {
        this.json = json;
    }

    String id() {
        return json.str("id");
    }

    String digest() {
        return json.str("digest", "");
    }

    String topLayer() {
        return json.str("layer", "");
    }

    List<String> names() {
        return json.strings("names");
    }

    void setNames(List<String> names) {
        if (names.isEmpty()) {
            json.asMap().remove("names");
        } else {
            json.put("names", new ArrayList<>(names));
        }
        // names-history: newest first, each once, as c/storage keeps it
        List<String> history = new ArrayList<>(names);
        for (String old : json.strings("names-history")) {
            if (!history.contains(old)) {
                history.add(old);
            }
        }
        if (!history.isEmpty()) {
            json.put("names-history", history);
        }
    }

    List<String> bigDataNames() {
        return json.strings("big-data-names");
    }

    Instant created() {
        String c = json.str("created");
        if (c == null) {
            return null;
        }
        try {
            return berth.kernel.model.Timestamps.parse(c);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** Records a big data item (its file is written by the caller), keeping c/storage's three fields in step. */
    void addBigData(String key, long size, String digest) {
        List<String> names = new ArrayList<>(bigDataNames());
        if (!names.contains(key)) {
            names.add(key);
        }
        json.put("big-data-names", names);
        mapField("big-data-sizes").put(key, size);
        mapField("big-data-digests").put(key, digest);
    }

    private Map<String, Object> mapField(String key) {
        JsonObject o = json.obj(key);
        if (o == null) {
            Map<String, Object> m = new LinkedHashMap<>();
            json.put(key, m);
            return m;
        }
        return o.asMap();
    }
}
