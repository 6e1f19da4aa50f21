/**
 * The berth command line. It maps flags to the engine's typed options and prints the engine's
 * reports; it talks only to {@link berth.engine.Engine}, never to a plugin. Its argument parser is
 * its own and small: picocli's Java 5 class files cannot go into a CDS/AOT archive and cost
 * ~100 ms per command (measured), more than podman's whole {@code run}.
 */
module berth.cli {
    requires berth.engine;
    requires berth.support;
    requires jdk.unsupported;
}
