package berth.cli;

import berth.engine.Engine;
import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.model.Container;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The containers a batch command (start, stop, kill, rm, pause, unpause, restart, wait) acts on, by
 * podman's rules: the arguments, echoed as given; {@code --cidfile} files; {@code --all} (the
 * containers the command applies to) or {@code --filter} (every container that matches), shown by
 * full ID; {@code --latest}, the container created last. podman's validation messages
 * (cmd/podman/validate CheckAllLatestAndIDFile).
 */
final class Batch {
    /** One container to act on, and what to print once it is done (the argument as given, or the full ID). */
    record Target(String ref, String shown) {
    }

    private Batch() {
    }

    static final Opt ALL = Opt.flag("-a,--all", "Every container the command applies to.");
    static final Opt LATEST = Opt.flag("-l,--latest", "The container created last.");
    static final Opt FILTER = Opt.value("-f,--filter", "KEY=VALUE", "Only containers that match (ps's filters; repeatable).");
    static final Opt CIDFILE = Opt.value("--cidfile", "FILE", "Read the container ID from FILE (repeatable).");
    static final Opt IGNORE = Opt.flag("-i,--ignore", "Ignore errors when a named container does not exist.");

    /** podman's batch flags, after the command's own; {@code --all} without its -a when the command uses -a otherwise (start). */
    static List<Opt> flags(boolean shortAll, Opt... own) {
        List<Opt> l = new ArrayList<>(List.of(own));
        java.util.Set<String> taken = new java.util.HashSet<>();
        for (Opt o : own) {
            taken.addAll(o.names());
        }
        for (Opt o : List.of(shortAll ? ALL : Opt.flag("--all", ALL.help()), LATEST, FILTER, CIDFILE, IGNORE)) {
            // the command's own flag keeps a short name (rm -f is --force, not --filter)
            List<String> names = new ArrayList<>(o.names());
            names.removeAll(taken);
            l.add(new Opt(names, o.takesValue(), o.label(), o.help()));
        }
        return Commands.opts(l.toArray(Opt[]::new));
    }

    /**
     * The targets, in the order given. {@code scope} says which containers {@code --all} means
     * (running ones for stop, paused ones for unpause, ...).
     */
    static List<Target> select(Engine e, Args a, Predicate<Container> scope) {
        return select(e, a, scope, false);
    }

    /** As {@link #select(Engine, Args, Predicate)}; {@code filterWithArgs}: filters pick among the arguments (start). */
    static List<Target> select(Engine e, Args a, Predicate<Container> scope, boolean filterWithArgs) {
        List<String> args = new ArrayList<>(a.positional());
        boolean all = a.has("all");
        boolean latest = a.has("latest");
        List<String> cidfiles = a.all("cidfile");
        List<String> filters = a.all("filter");
        if (!filters.isEmpty() && !args.isEmpty() && !filterWithArgs) {
            throw invalid("--filter takes no arguments");
        }
        if (!cidfiles.isEmpty() && (all || latest)) {
            throw invalid("--all, --latest, and --cidfile cannot be used together");
        }
        if (all && latest) {
            throw invalid("--all and --latest cannot be used together");
        }
        if (all && !args.isEmpty()) {
            throw invalid("no arguments are needed with --all");
        }
        if (latest && !args.isEmpty()) {
            throw invalid("--latest and containers cannot be used together");
        }
        for (String f : cidfiles) {
            try {
                String content = Files.readString(Path.of(f));
                int nl = content.indexOf('\n');
                args.add((nl < 0 ? content : content.substring(0, nl)).strip());
            } catch (NoSuchFileException x) {
                if (!a.has("ignore")) {
                    throw invalid("reading CIDFile: open " + f + ": no such file or directory");
                }
            } catch (IOException x) {
                throw invalid("reading CIDFile: " + x.getMessage());
            }
        }
        if (args.isEmpty() && !all && !latest && filters.isEmpty() && cidfiles.isEmpty()) {
            throw invalid("you must provide at least one name or id");
        }
        List<Target> out = new ArrayList<>();
        if (!args.isEmpty() && filters.isEmpty()) {
            for (String n : args) {
                out.add(new Target(n.startsWith("/") ? n.substring(1) : n, n)); // podman strips a leading slash (RemoveSlash)
            }
            return out;
        }
        List<Container> candidates;
        if (latest) {
            candidates = latest(e.containers());
        } else if (!args.isEmpty()) {
            candidates = new ArrayList<>();
            for (String n : args) {
                candidates.add(e.container(n));
            }
        } else {
            candidates = e.containers();
            candidates.sort(CREATED_FIRST);
        }
        ContainerFilters f = new ContainerFilters(filters, e::container);
        for (Container c : candidates) {
            if ((!all || scope.test(c)) && f.matches(c)) {
                out.add(new Target(c.id(), c.id()));
            }
        }
        return out;
    }

    private static final java.util.Comparator<Container> CREATED_FIRST = (x, y) -> x.config().createdAt().compareTo(y.config().createdAt());

    /** The container created last (podman's --latest), or none. */
    static List<Container> latest(List<Container> all) {
        Container last = null;
        for (Container c : all) {
            if (last == null || c.config().createdAt().isAfter(last.config().createdAt())) {
                last = c;
            }
        }
        if (last == null) {
            throw new BerthException(ErrorCode.NO_SUCH_CONTAINER, "no containers to get the latest one of");
        }
        return new ArrayList<>(List.of(last));
    }

    interface Action {
        void apply(Target t);
    }

    /**
     * Acts on each target, printing what it shows on success; a failure is reported and the loop goes
     * on. With {@code ignore}, a container that does not exist is no error. Returns podman's exit
     * code: the last error's, or {@code codes}'s mapping of it (rm's 1 and 2).
     */
    static int each(List<Target> targets, boolean ignore, Action action, java.util.function.ToIntFunction<BerthException> codes) {
        int rc = 0;
        for (Target t : targets) {
            try {
                action.apply(t);
                System.out.println(t.shown());
            } catch (BerthException ex) {
                if (ignore && ex.code() == ErrorCode.NO_SUCH_CONTAINER) {
                    continue;
                }
                System.err.println("Error: " + ex.getMessage());
                int code = codes.applyAsInt(ex);
                if (rc != 1) { // podman keeps a "no such container" exit code once set
                    rc = code;
                }
            }
        }
        System.out.flush();
        return rc;
    }

    static int each(List<Target> targets, boolean ignore, Action action) {
        return each(targets, ignore, action, BerthException::exitCode);
    }

    private static BerthException invalid(String msg) {
        return Commands.usage(msg);
    }
}
