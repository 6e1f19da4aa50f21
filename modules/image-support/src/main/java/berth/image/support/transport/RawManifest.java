package berth.image.support.transport;

/**
 * A manifest exactly as its source holds it: its digest is the sha256 of these bytes, so they are
 * kept and never re-serialised.
 *
 * @param bytes the manifest's bytes
 * @param mediaType its media type (from the document, or the transport's Content-Type)
 * @param digest {@code sha256:HEX} of {@code bytes}
 */
public record RawManifest(byte[] bytes, String mediaType, String digest) {
}
