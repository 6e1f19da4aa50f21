package berth.cli;

import berth.engine.Engine;
import berth.engine.events.Event;
import berth.engine.events.EventFilter;
import berth.engine.events.EventRenderer;
import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.model.Container;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** {@code events} (podman's, on the file backend) and {@code init}. */
final class EventCommands {
    private EventCommands() {
    }

    /** The top-level commands (and, for {@code container init}, the container group's). */
    static List<Cmd> topLevel() {
        return List.of(events(), init());
    }

    static Cmd events() {
        return new Cmd("events", "events [--filter K=V] [--format F] [--since T] [--until T] [--stream=false]",
                "Show berth events: those logged and, streaming, each new one until interrupted.",
                Commands.opts(Opt.value("-f,--filter", "KEY=VALUE",
                                "container, event (status), image, pod, volume, type, label=K=V; same key: any, different keys: all."),
                        Opt.value("--format", "FORMAT", "json, or a template such as '{{.Status}} {{.Name}}'."),
                        Opt.value("--since", "TIME", "Events after TIME: RFC 3339, unix seconds, or a duration ago (10m)."),
                        Opt.value("--until", "TIME", "Events before TIME (a stream ends then)."),
                        Opt.flag("--stream", "Stream new events (default true; --stream=false prints what is logged and exits)."),
                        Opt.flag("--no-trunc", "Do not truncate IDs (default true).")),
                false, 0, EventCommands::events);
    }

    static Cmd init() {
        return new Cmd("init", "init [--all|--latest] CONTAINER...",
                "Initialize containers: network, spec and the runtime's create, without starting them.",
                Commands.opts(Opt.flag("-a,--all", "Initialize all containers."),
                        Opt.flag("-l,--latest", "Act on the latest container berth knows about.")),
                false, 0, EventCommands::initCmd);
    }

    static int events(Context ctx, Args a) {
        if (!a.positional().isEmpty()) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "`berth events` takes no arguments");
        }
        String since = a.get("since");
        String until = a.get("until");
        EventFilter filter = EventFilter.parse(a.all("filter"), since, until, Instant.now());
        boolean stream = !"false".equals(a.get("stream"));
        boolean truncate = "false".equals(a.get("no-trunc"));
        String format = a.get("format");
        EventRenderer render;
        // the human line and JSON are safe to render on several threads; a template is rendered on one
        int threads = Runtime.getRuntime().availableProcessors();
        if (format == null) {
            render = EventRenderer.human(truncate);
        } else if (format.equals("json") || format.replace(" ", "").equals("{{json.}}")) {
            render = EventRenderer.json();
        } else {
            render = EventRenderer.of(e -> Output.template(format, e.templateFields()));
            threads = 1;
        }
        boolean fromStart = since != null && !since.isEmpty() || until != null && !until.isEmpty();
        berth.engine.Events events = Engine.eventsOnly(ctx.overrides, System.getenv(), w -> System.err.println("WARN: " + w));
        berth.kernel.trace.Trace.mark("events: engine open");
        if (!stream) {
            // each part of the log as it comes, its bytes written as they are (no String, no PrintStream)
            events.renderLogged(filter, render, threads, Commands.STDOUT);
            berth.kernel.trace.Trace.mark("events: all printed");
            return 0;
        }
        StringBuilder out = new StringBuilder(1 << 16);
        events.read(filter, stream, fromStart, e -> {
            render.append(e, out);
            out.append('\n');
            if (out.length() > 1 << 16) {
                flush(out);
            }
        }, () -> flush(out));
        flush(out);
        berth.kernel.trace.Trace.mark("events: all printed");
        return 0;
    }

    /** podman's argument errors carry no sentinel suffix. */
    private static BerthException usage(String message) {
        return new BerthException(ErrorCode.INVALID_ARGUMENT, message) {
            private static final long serialVersionUID = 1L;

            @Override
            public String getMessage() {
                return message;
            }
        };
    }

    private static void flush(StringBuilder out) {
        write(out);
        out.setLength(0);
    }

    private static void write(CharSequence text) {
        if (text.length() == 0) {
            return;
        }
        try {
            Commands.STDOUT.write(text.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** podman's init: each argument echoed as given (IDs for --all and --latest); every error printed, the last one the exit code. */
    static int initCmd(Context ctx, Args a) {
        boolean all = a.has("all");
        boolean latest = a.has("latest");
        List<String> args = a.positional();
        if (all && latest) {
            throw usage("--all and --latest cannot be used together");
        }
        if (all && !args.isEmpty()) {
            throw usage("no arguments are needed with --all");
        }
        if (latest && !args.isEmpty()) {
            throw usage("--latest and containers cannot be used together");
        }
        if (!all && !latest && args.isEmpty()) {
            throw usage("you must provide at least one name or id");
        }
        Engine engine = ctx.engine();
        List<String> targets = new ArrayList<>(args);
        if (all || latest) {
            List<Container> cs = new ArrayList<>(engine.containers());
            cs.sort(Comparator.comparing((Container c) -> c.config().createdAt(), Comparator.nullsFirst(Comparator.naturalOrder())));
            if (latest && !cs.isEmpty()) {
                cs = List.of(cs.get(cs.size() - 1));
            }
            if (latest && cs.isEmpty()) {
                throw new BerthException(ErrorCode.NO_SUCH_CONTAINER, "no containers to init");
            }
            cs.forEach(c -> targets.add(c.id()));
        }
        BerthException last = null;
        for (String t : targets) {
            try {
                engine.init(t);
                System.out.println(t);
            } catch (BerthException e) {
                if (all && e.code() == ErrorCode.CONTAINER_STATE_INVALID) {
                    System.out.println(t); // podman's --all passes over containers already initialized
                    continue;
                }
                if (last != null) {
                    System.err.println("Error: " + last.getMessage());
                }
                last = e;
            }
        }
        if (last != null) {
            throw last;
        }
        return 0;
    }
}
