package berth.engine.internal;

import java.nio.file.Path;

/**
 * podman's directory defaults for root (containers/common's pkg/config), and when berth takes them.
 *
 * <p>podman's tmp dir is {@code /run/libpod}, whatever its run root; berth's own default is
 * {@code RUNROOT/libpod}, so that the many berth roots of a test run never share one tmp dir. At
 * podman's own run root, {@code /run/containers/storage}, berth runs on podman's host and takes
 * podman's tmp dir: the bolt database there records it, and podman's exit files live under it.
 */
public final class PodmanPaths {
    /** podman's run root for root (containers/storage's storage.conf default). */
    public static final Path RUN_ROOT = Path.of("/run/containers/storage");
    /** podman's tmp dir for root (containers/common's getDefaultTmpDir). */
    public static final Path TMP_DIR = Path.of("/run/libpod");

    private PodmanPaths() {
    }

    /** The tmp dir when neither {@code --tmpdir} nor {@code [engine] tmp_dir} names one. */
    public static Path defaultTmpDir(Path runRoot) {
        return runRoot.equals(RUN_ROOT) ? TMP_DIR : runRoot.resolve("libpod");
    }
}
