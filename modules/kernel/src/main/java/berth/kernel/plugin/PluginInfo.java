package berth.kernel.plugin;

/** What {@code berth info} shows for one provider found by the registry. */
public record PluginInfo(String spi, String id, String module, String version, String description, String location) {
}
