package berth.image.overlay;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Optional;

/** An image's big data files ({@code overlay-images/<id>/<key>}), named as containers/storage names them. */
final class BigData {
    /** The key of the manifest podman reads first. */
    static final String MANIFEST = "manifest";

    private BigData() {
    }

    /**
     * c/storage's makeBigDataBaseName: a key of only {@code [.0-9a-z]} is its own file name, any other
     * is {@code =} and its standard base64 (so {@code sha256:...} keys, with their colon, are encoded).
     */
    static String fileName(String key) {
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (!(c == '.' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z')) {
                return "=" + Base64.getEncoder().encodeToString(key.getBytes(StandardCharsets.UTF_8));
            }
        }
        return key;
    }

    static String manifestKey(String manifestDigest) {
        return "manifest-" + manifestDigest;
    }

    static Path path(StoreLayout layout, String imageId, String key) {
        return layout.imageDataDir(imageId).resolve(fileName(key));
    }

    static Optional<byte[]> read(StoreLayout layout, String imageId, String key) {
        Path p = path(layout, imageId, key);
        try {
            return Optional.of(Files.readAllBytes(p));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new BerthException(ErrorCode.INTERNAL, "cannot read " + p + ": " + e.getMessage(), e);
        }
    }

    /** Writes a big data file and records it on the image (the caller saves images.json). */
    static void write(StoreLayout layout, ImageRecord image, String key, byte[] bytes) {
        Path p = path(layout, image.id(), key);
        try {
            Files.createDirectories(p.getParent());
            Files.setPosixFilePermissions(p.getParent(), java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        } catch (IOException e) {
            throw new BerthException(ErrorCode.INTERNAL, "cannot create " + p.getParent() + ": " + e.getMessage(), e);
        }
        RecordFile.writeRaw(p, bytes);
        image.addBigData(key, bytes.length, berth.image.support.manifest.Digests.of(bytes));
    }
}
