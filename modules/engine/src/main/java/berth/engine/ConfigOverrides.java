package berth.engine;

/**
 * Global command-line flags that override containers.conf; null means "not given".
 */
public record ConfigOverrides(String configFile, String root, String runRoot, String runtime, String dbBackend,
                              String logLevel, String hooksDir) {
    public static final ConfigOverrides NONE = new ConfigOverrides(null, null, null, null, null, null, null);
}
