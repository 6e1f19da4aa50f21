package berth.api.docker;

import berth.engine.Engine;
import berth.engine.events.Event;
import berth.engine.events.EventFilter;
import berth.kernel.model.Container;
import berth.kernel.model.ContainerStatus;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code /_ping}, {@code /version}, {@code /info} and the streamed {@code /events}. */
final class SystemRoutes {
    private final Engine engine;

    SystemRoutes(Engine engine) {
        this.engine = engine;
    }

    void register(Router r) {
        r.add(Route.of("GET", "/_ping", (x, p) -> ping(x)));
        r.add(Route.of("GET", "/version", (x, p) -> x.sendJson(200, version())));
        r.add(Route.of("GET", "/info", (x, p) -> x.sendJson(200, info())));
        r.add(Route.of("GET", "/events", (x, p) -> events(x)));
    }

    /** The clients negotiate their API version from these headers. */
    private static void ping(Exchange x) {
        x.response.getHeaders().put("Docker-Experimental", "false");
        x.response.getHeaders().put("OSType", "linux");
        x.response.getHeaders().put("Builder-Version", "1");
        x.response.getHeaders().put("Cache-Control", "no-cache, no-store, must-revalidate");
        x.response.getHeaders().put("Pragma", "no-cache");
        x.sendText(200, "OK");
    }

    static Map<String, Object> version() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("ApiVersion", DockerApiServer.API_VERSION);
        details.put("MinAPIVersion", DockerApiServer.MIN_API_VERSION);
        details.put("Os", "linux");
        details.put("Arch", HostInfo.goArch());
        details.put("KernelVersion", HostInfo.kernel());
        Map<String, Object> engine = new LinkedHashMap<>();
        engine.put("Name", "Engine");
        engine.put("Version", DockerApiServer.ENGINE_VERSION);
        engine.put("Details", details);
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("Platform", Map.of("Name", "berth Engine"));
        v.put("Components", List.of(engine));
        v.put("Version", DockerApiServer.ENGINE_VERSION);
        v.put("ApiVersion", DockerApiServer.API_VERSION);
        v.put("MinAPIVersion", DockerApiServer.MIN_API_VERSION);
        v.put("GitCommit", "");
        v.put("GoVersion", "java" + System.getProperty("java.version"));
        v.put("Os", "linux");
        v.put("Arch", HostInfo.goArch());
        v.put("KernelVersion", HostInfo.kernel());
        v.put("BuildTime", "");
        return v;
    }

    private Map<String, Object> info() {
        List<Container> all = engine.containers();
        long running = all.stream().filter(c -> c.status() == ContainerStatus.RUNNING).count();
        long paused = all.stream().filter(c -> c.status() == ContainerStatus.PAUSED).count();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ID", HostInfo.hostname());
        m.put("Containers", all.size());
        m.put("ContainersRunning", running);
        m.put("ContainersPaused", paused);
        m.put("ContainersStopped", all.size() - running - paused);
        m.put("Images", engine.hasImageStore() ? engine.images().list().size() : 0);
        m.put("Driver", engine.hasImageStore() ? engine.images().driver() : "rootfs");
        m.put("DockerRootDir", engine.config().root().toString());
        m.put("Name", HostInfo.hostname());
        m.put("ServerVersion", DockerApiServer.ENGINE_VERSION);
        m.put("OperatingSystem", HostInfo.osName());
        m.put("OSType", "linux");
        m.put("Architecture", System.getProperty("os.arch").equals("amd64") ? "x86_64" : System.getProperty("os.arch"));
        m.put("KernelVersion", HostInfo.kernel());
        m.put("NCPU", Runtime.getRuntime().availableProcessors());
        m.put("MemTotal", HostInfo.memTotal());
        m.put("CgroupDriver", "systemd");
        m.put("CgroupVersion", Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers")) ? "2" : "1");
        m.put("DefaultRuntime", engine.config().runtime());
        m.put("Runtimes", Map.of(engine.config().runtime(), Map.of("path", engine.config().runtime())));
        m.put("Labels", List.of());
        m.put("SecurityOptions", List.of());
        m.put("Plugins", Map.of("Volume", List.of("local"), "Network", List.of("bridge"), "Log", List.of("k8s-file", "none")));
        m.put("RegistryConfig", Map.of("InsecureRegistryCIDRs", List.of("127.0.0.0/8"), "IndexConfigs", Map.of(), "Mirrors", List.of()));
        m.put("Swarm", Map.of("LocalNodeState", "inactive"));
        m.put("LoggingDriver", "k8s-file");
        m.put("ExperimentalBuild", false);
        m.put("Debug", false);
        m.put("IndexServerAddress", "https://index.docker.io/v1/");
        return m;
    }

    /** Docker's event shape from podman's event record; without since/until only new events come, streamed. */
    private void events(Exchange x) throws IOException {
        List<String> filters = new ArrayList<>();
        x.filters().forEach((k, vs) -> vs.forEach(v -> filters.add(k + "=" + v)));
        String since = x.query("since");
        String until = x.query("until");
        EventFilter filter = EventFilter.parse(filters, since, until, Instant.now());
        boolean stream = until == null || until.isEmpty();
        OutputStream out = x.stream(200, "application/json");
        out.flush();
        try {
            engine.events().read(filter, stream, since != null && !since.isEmpty(), e -> {
                try {
                    out.write((berth.kernel.json.Json.write(docker(e)) + "\n").getBytes(StandardCharsets.UTF_8));
                } catch (IOException io) {
                    throw new UncheckedIOException(io); // the client went away: stop following
                }
            }, () -> { });
        } catch (UncheckedIOException gone) {
            x.callback.failed(gone.getCause());
            return;
        }
        out.close();
    }

    static Map<String, Object> docker(Event e) {
        Map<String, String> attrs = new LinkedHashMap<>();
        if (e.attributes() != null) {
            attrs.putAll(e.attributes());
        }
        if (!e.name().isEmpty()) {
            attrs.put("name", e.name());
        }
        if (!e.image().isEmpty()) {
            attrs.put("image", e.image());
        }
        if (e.status().equals("died")) {
            attrs.put("exitCode", Integer.toString(e.exitCode()));
        }
        String action = e.status().equals("died") ? "die" : e.status();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", action);
        m.put("id", e.id());
        m.put("from", e.image());
        m.put("Type", e.type().text());
        m.put("Action", action);
        m.put("Actor", Map.of("ID", e.id().isEmpty() ? e.name() : e.id(), "Attributes", attrs));
        m.put("scope", "local");
        Instant t = e.time().toInstant();
        m.put("time", t.getEpochSecond());
        m.put("timeNano", t.getEpochSecond() * 1_000_000_000L + t.getNano());
        return m;
    }
}
