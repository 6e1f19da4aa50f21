package berth.image.overlay;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.json.Json;
import berth.kernel.json.JsonObject;
import berth.support.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One of containers/storage's JSON array files (layers.json, images.json, containers.json,
 * mountpoints.json). Records stay the parsed maps, so fields podman writes that berth does not use
 * ({@code flags}, {@code uidmap}, {@code names-history}, ...) survive a rewrite unchanged.
 */
final class RecordFile {
    private RecordFile() {
    }

    static List<JsonObject> read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return new ArrayList<>();
        } catch (IOException e) {
            throw new BerthException(ErrorCode.INTERNAL, "cannot read " + file + ": " + e.getMessage(), e);
        }
        if (bytes.length == 0) {
            return new ArrayList<>();
        }
        Object parsed;
        try {
            parsed = Json.parse(bytes);
        } catch (Json.MalformedJsonException e) {
            throw new BerthException(ErrorCode.INTERNAL, "corrupt store file " + file + ": " + e.getMessage(), e);
        }
        List<JsonObject> out = new ArrayList<>();
        if (parsed instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof Map<?, ?>) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> m = (Map<String, Object>) o;
                    out.add(new JsonObject(m));
                }
            }
        } else if (parsed != null) {
            throw new BerthException(ErrorCode.INTERNAL, "corrupt store file " + file + ": not a JSON array");
        }
        return out;
    }

    /** Replaces the file atomically, mode 0600 as c/storage writes it. */
    static void write(Path file, List<JsonObject> records) {
        List<Object> maps = new ArrayList<>(records.size());
        for (JsonObject r : records) {
            maps.add(r.asMap());
        }
        writeRaw(file, Json.writeBytes(maps));
    }

    static void writeRaw(Path file, byte[] bytes) {
        AtomicFiles.write(file, bytes, AtomicFiles.Durability.FILE_ONLY);
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            throw new BerthException(ErrorCode.INTERNAL, "cannot chmod " + file + ": " + e.getMessage(), e);
        }
    }
}
