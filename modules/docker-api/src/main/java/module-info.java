/**
 * The Docker Engine API (v1.41) over the berth engine, served by {@code berth system service} on a
 * unix socket or loopback TCP with Jetty's core handlers. It talks to the engine's public API only
 * ({@link berth.engine.Engine} and its facades), never to a plugin. The CLI loads this module in a
 * layer of its own, only for {@code system service}, so Jetty stays off every other command's path.
 */
module berth.api.docker {
    requires transitive berth.engine;
    requires org.eclipse.jetty.server;
    requires org.eclipse.jetty.unixdomain.server;

    exports berth.api.docker;
}
