package berth.api.docker;

import berth.engine.Engine;
import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.unixdomain.server.UnixDomainServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * {@code berth system service}: the Docker Engine API on a unix socket or a TCP address, over one
 * engine. The CLI calls {@link #serve} reflectively from a module layer of its own.
 */
public final class DockerApiServer {
    /** The API version berth answers with; the clients negotiate down to it through {@code /_ping}. */
    static final String API_VERSION = "1.41";
    static final String MIN_API_VERSION = "1.24";
    /** The engine version shown to Docker clients (Docker 20.10 spoke API 1.41). */
    static final String ENGINE_VERSION = "20.10.24";

    private DockerApiServer() {
    }

    /**
     * Serves until {@code idleSeconds} pass without a request (0: forever); returns the exit code.
     * {@code messages} hears the address and warnings.
     */
    public static int serve(Engine engine, String uri, long idleSeconds, Consumer<String> messages) throws Exception {
        // Jetty's start-up lines are no news; its warnings are
        System.setProperty("org.slf4j.simpleLogger.log.org.eclipse.jetty", "warn");
        Listen listen = Listen.parse(uri);
        Activity activity = new Activity();
        QueuedThreadPool pool = new QueuedThreadPool(256, 4);
        pool.setName("berth-api");
        pool.setDaemon(true);
        Server server = new Server(pool);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendDateHeader(true);
        http.setRequestHeaderSize(64 * 1024);
        // image names travel as one path segment with encoded slashes (/images/127.0.0.1:5000%2Fx/json)
        http.setUriCompliance(UriCompliance.DEFAULT.with("docker", UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR,
                UriCompliance.Violation.AMBIGUOUS_PATH_ENCODING));
        HttpConnectionFactory factory = new HttpConnectionFactory(http);
        Path socket = null;
        if (listen instanceof Listen.Unix u) {
            socket = u.path();
            SocketFile.prepare(socket);
            UnixDomainServerConnector c = new UnixDomainServerConnector(server, factory);
            c.setUnixDomainPath(socket);
            c.setIdleTimeout(0); // streams (events, logs --follow, attach) may be silent for hours
            server.addConnector(c);
        } else {
            Listen.Tcp t = (Listen.Tcp) listen;
            if (!t.loopback()) {
                messages.accept("the API listens on " + t.host() + ":" + t.port() + ", beyond this machine, without authentication:"
                        + " whoever reaches it controls every container as root");
            }
            ServerConnector c = new ServerConnector(server, factory);
            c.setHost(t.host());
            c.setPort(t.port());
            c.setIdleTimeout(0);
            server.addConnector(c);
        }
        Router router = new Router(activity);
        Sessions sessions = new Sessions();
        new SystemRoutes(engine).register(router);
        new ContainerRoutes(engine, sessions, activity).register(router);
        new ExecRoutes(engine, sessions, activity).register(router);
        new ArchiveRoutes(engine).register(router);
        new ImageRoutes(engine).register(router);
        new NetworkRoutes(engine).register(router);
        new VolumeRoutes(engine).register(router);
        server.setHandler(router);
        server.setStopTimeout(2000);
        try {
            server.start();
        } catch (Exception e) {
            throw new BerthException(ErrorCode.INTERNAL, "cannot listen on " + (uri == null ? Listen.DEFAULT : uri) + ": " + e.getMessage());
        }
        if (socket != null) {
            SocketFile.secure(socket);
            Path made = socket;
            // SIGTERM (podman's service is ended so too) leaves no socket behind
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    Files.deleteIfExists(made);
                } catch (java.io.IOException e) {
                    // the next start removes it
                }
            }, "berth-api-socket-cleanup"));
        }
        messages.accept("API service listening on " + (uri == null ? Listen.DEFAULT : uri));
        try {
            while (server.isRunning()) {
                Thread.sleep(500);
                if (idleSeconds > 0 && activity.idleFor(idleSeconds)) {
                    break;
                }
            }
        } finally {
            server.stop();
            if (socket != null) {
                Files.deleteIfExists(socket);
            }
        }
        return 0;
    }
}
