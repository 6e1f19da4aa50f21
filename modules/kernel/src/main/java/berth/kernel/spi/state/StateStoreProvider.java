package berth.kernel.spi.state;

import berth.kernel.plugin.PluginProvider;

/** Provides a state backend ({@code file}, {@code sqlite}, {@code boltdb}, a researcher's own). */
public interface StateStoreProvider extends PluginProvider {
    /** Opens (creating if needed) the store described by the configuration. */
    StateStore open(StateStoreConfig config);
}
