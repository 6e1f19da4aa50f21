package berth.image.support.archive;

import berth.kernel.json.Json;
import berth.kernel.json.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One image of a docker-archive, as its {@code manifest.json} lists it.
 *
 * @param index its position in manifest.json ({@code docker-archive:PATH:@N})
 * @param config the config file's path in the archive ({@code HEX.json})
 * @param repoTags its tags ({@code docker.io/library/busybox:latest}); may be empty
 * @param layers the layer files' paths, bottom first ({@code HEX.tar} or {@code HEX/layer.tar})
 */
public record DockerArchiveImage(int index, String config, List<String> repoTags, List<String> layers) {
    public DockerArchiveImage {
        repoTags = List.copyOf(repoTags);
        layers = List.copyOf(layers);
    }

    /** Parses manifest.json: a JSON array of {@code {"Config","RepoTags","Layers"}}. */
    static List<DockerArchiveImage> parseManifestJson(Path archive, byte[] bytes) throws IOException {
        Object doc;
        try {
            doc = Json.parse(bytes);
        } catch (IOException e) {
            throw new IOException(archive + ": manifest.json is not valid JSON: " + e.getMessage(), e);
        }
        if (!(doc instanceof List<?> items)) {
            throw new IOException(archive + ": manifest.json is not a JSON array");
        }
        List<DockerArchiveImage> out = new ArrayList<>();
        for (Object o : items) {
            if (!(o instanceof java.util.Map<?, ?>)) {
                throw new IOException(archive + ": manifest.json item @" + out.size() + " is not an object");
            }
            @SuppressWarnings("unchecked")
            JsonObject item = new JsonObject((java.util.Map<String, Object>) o);
            String config = item.str("Config");
            if (config == null || config.isEmpty()) {
                throw new IOException(archive + ": manifest.json item @" + out.size() + " names no Config");
            }
            out.add(new DockerArchiveImage(out.size(), config, item.strings("RepoTags"), item.strings("Layers")));
        }
        if (out.isEmpty()) {
            throw new IOException(archive + ": manifest.json lists no image");
        }
        return out;
    }
}
