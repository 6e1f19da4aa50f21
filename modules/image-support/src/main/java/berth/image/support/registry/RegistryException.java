package berth.image.support.registry;

import java.io.IOException;

/**
 * A registry answered with an error: the HTTP status and the first error code of its JSON body
 * ({@code MANIFEST_UNKNOWN}, {@code NAME_UNKNOWN}, {@code BLOB_UNKNOWN}, {@code UNAUTHORIZED},
 * {@code DENIED}), so a store can tell "not found" from "failed".
 */
public class RegistryException extends IOException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final String errorCode;

    public RegistryException(String message, int status, String errorCode) {
        super(message);
        this.status = status;
        this.errorCode = errorCode == null ? "" : errorCode;
    }

    public int status() {
        return status;
    }

    public String errorCode() {
        return errorCode;
    }

    /** The image or blob does not exist there (404, or the registry's "unknown" codes). */
    public boolean isNotFound() {
        return status == 404 || errorCode.endsWith("_UNKNOWN");
    }

    public boolean isUnauthorized() {
        return status == 401 || status == 403 || errorCode.equals("UNAUTHORIZED") || errorCode.equals("DENIED");
    }
}
