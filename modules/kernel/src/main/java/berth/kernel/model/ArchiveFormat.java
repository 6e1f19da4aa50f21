package berth.kernel.model;

/** The formats {@code save} writes, named as podman's {@code --format} names them. */
public enum ArchiveFormat {
    DOCKER_ARCHIVE("docker-archive"), OCI_ARCHIVE("oci-archive"), OCI_DIR("oci-dir");

    private final String text;

    ArchiveFormat(String text) {
        this.text = text;
    }

    public String text() {
        return text;
    }

    public static ArchiveFormat parse(String text) {
        for (ArchiveFormat f : values()) {
            if (f.text.equals(text)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown format \"" + text + "\": use docker-archive, oci-archive or oci-dir");
    }
}
