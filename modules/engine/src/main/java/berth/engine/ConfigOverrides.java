package berth.engine;

/**
 * Global command-line flags that override containers.conf; null means "not given".
 *
 * @param storageDriver {@code --storage-driver} (podman's flag): the image store's driver
 * @param eventsBackend {@code --events-backend} (podman's flag): {@code [engine] events_logger}
 * @param tmpDir {@code --tmpdir} (podman's flag): {@code [engine] tmp_dir}
 * @param networkBackend {@code --network-backend} (podman's flag): {@code [network] network_backend}
 */
public record ConfigOverrides(String configFile, String root, String runRoot, String runtime, String dbBackend,
                              String logLevel, String hooksDir, String storageDriver, String eventsBackend, String tmpDir,
                              String networkBackend) {
    public static final ConfigOverrides NONE = new ConfigOverrides(null, null, null, null, null, null, null, null, null, null, null);

    public ConfigOverrides(String configFile, String root, String runRoot, String runtime, String dbBackend, String logLevel,
                           String hooksDir, String storageDriver, String eventsBackend, String tmpDir) {
        this(configFile, root, runRoot, runtime, dbBackend, logLevel, hooksDir, storageDriver, eventsBackend, tmpDir, null);
    }

    public ConfigOverrides(String configFile, String root, String runRoot, String runtime, String dbBackend, String logLevel,
                           String hooksDir, String storageDriver, String eventsBackend) {
        this(configFile, root, runRoot, runtime, dbBackend, logLevel, hooksDir, storageDriver, eventsBackend, null);
    }

    public ConfigOverrides(String configFile, String root, String runRoot, String runtime, String dbBackend, String logLevel,
                           String hooksDir, String storageDriver) {
        this(configFile, root, runRoot, runtime, dbBackend, logLevel, hooksDir, storageDriver, null);
    }

    public ConfigOverrides(String configFile, String root, String runRoot, String runtime, String dbBackend, String logLevel,
                           String hooksDir) {
        this(configFile, root, runRoot, runtime, dbBackend, logLevel, hooksDir, null);
    }
}
