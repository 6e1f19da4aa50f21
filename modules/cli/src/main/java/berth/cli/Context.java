package berth.cli;

import berth.engine.ConfigOverrides;
import berth.engine.Engine;

/** Global flags and the engine, opened on first use so that help and version never load it. */
final class Context {
    final ConfigOverrides overrides;
    private Engine engine;

    Context(ConfigOverrides overrides) {
        this.overrides = overrides;
    }

    Engine engine() {
        if (engine == null) {
            engine = Engine.open(overrides, System.getenv(), w -> System.err.println("WARN: " + w));
        }
        return engine;
    }
}
