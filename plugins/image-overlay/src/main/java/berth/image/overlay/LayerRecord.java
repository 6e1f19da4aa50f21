package berth.image.overlay;

import berth.support.GoTimes;
import berth.kernel.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A layers.json record, read and written in containers/storage's field names. */
final class LayerRecord {
    static final String INCOMPLETE = "incomplete";
    /** c/storage's archive.Compression numbers. */
    static final int UNCOMPRESSED = 0;
    static final int GZIP = 2;
    static final int ZSTD = 4;

    final JsonObject json;

    LayerRecord(JsonObject json) {
        this.json = json;
    }

    static LayerRecord create(String id, String parent, List<String> names) {
        JsonObject j = new JsonObject();
        j.put("id", id);
        if (names != null && !names.isEmpty()) {
            j.put("names", new ArrayList<>(names));
        }
        if (parent != null && !parent.isEmpty()) {
            j.put("parent", parent);
        }
        j.put("created", GoTimes.rfc3339Nano(Instant.now()));
        return new LayerRecord(j);
    }

    String id() {
        return json.str("id");
    }

    String parent() {
        return json.str("parent", "");
    }

    List<String> names() {
        return json.strings("names");
    }

    String compressedDigest() {
        return json.str("compressed-diff-digest", "");
    }

    String diffDigest() {
        return json.str("diff-digest", "");
    }

    long diffSize() {
        return json.lng("diff-size", 0);
    }

    void setDigests(String compressedDigest, long compressedSize, String diffDigest, long diffSize, int compression) {
        json.put("compressed-diff-digest", compressedDigest);
        json.put("compressed-size", compressedSize);
        json.put("diff-digest", diffDigest);
        json.put("diff-size", diffSize);
        if (compression != UNCOMPRESSED) {
            json.put("compression", (long) compression);
        } else {
            json.asMap().remove("compression");
        }
    }

    void setIdSets(List<Long> uids, List<Long> gids) {
        if (!uids.isEmpty()) {
            json.put("uidset", new ArrayList<>(uids));
        }
        if (!gids.isEmpty()) {
            json.put("gidset", new ArrayList<>(gids));
        }
    }

    boolean incomplete() {
        JsonObject flags = json.obj("flags");
        return flags != null && flags.bool(INCOMPLETE, false);
    }

    void setIncomplete(boolean on) {
        JsonObject flags = json.obj("flags");
        if (on) {
            if (flags == null) {
                Map<String, Object> m = new LinkedHashMap<>();
                json.put("flags", m);
                flags = new JsonObject(m);
            }
            flags.put(INCOMPLETE, Boolean.TRUE);
        } else if (flags != null) {
            flags.asMap().remove(INCOMPLETE);
            if (flags.asMap().isEmpty()) {
                json.asMap().remove("flags");
            }
        }
    }
}
