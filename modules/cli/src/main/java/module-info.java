/**
 * The berth command line (picocli). It maps flags to the engine's typed options and prints the
 * engine's reports; it talks only to {@link berth.engine.Engine}, never to a plugin.
 */
module berth.cli {
    requires berth.engine;
    requires info.picocli;
    requires jdk.unsupported;

    opens berth.cli to info.picocli;
}
