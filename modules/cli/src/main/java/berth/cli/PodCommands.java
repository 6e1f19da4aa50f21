package berth.cli;

import berth.engine.Engine;
import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import java.util.List;

/**
 * {@code pod}: berth has no pods (every container stands alone), so this group answers as podman
 * does for a store without pods: its flags are parsed and checked as podman's (a bad signal is
 * refused before any lookup), listings are empty, and every pod named is missing, in podman's
 * wording and exit codes. Scripts written for podman (podman's own test teardown runs
 * {@code pod rm -t 0 --all --force --ignore}) keep working.
 */
final class PodCommands {
    private static List<Cmd> group;

    private PodCommands() {
    }

    static List<Cmd> group() {
        if (group == null) {
            Opt all = Opt.flag("-a,--all", "Every pod (berth has none).");
            Opt latest = Opt.flag("-l,--latest", "The pod created last (berth has none).");
            Opt ignore = Opt.flag("-i,--ignore", "Ignore errors when a named pod does not exist.");
            Opt time = Opt.value("-t,--time", "SECONDS", "Seconds before SIGKILL.");
            group = List.of(
                    new Cmd("kill", "pod kill [-s SIGNAL] [--all|--latest] POD...", "Send a signal to the containers of pods.",
                            Commands.opts(all, latest, Opt.value("-s,--signal", "SIGNAL", "Signal to send (default KILL).")), false, 0,
                            PodCommands::kill),
                    new Cmd("stop", "pod stop [-t N] [--all|--latest|--ignore] POD...", "Stop pods.",
                            Commands.opts(all, latest, ignore, time), false, 0, (c, a) -> act(a, 125)),
                    new Cmd("rm", "pod rm [-f] [-t N] [--all|--latest|--ignore] POD...", "Remove pods.",
                            Commands.opts(all, latest, ignore, time, Opt.flag("-f,--force", "Stop running pods first.")), false, 0,
                            (c, a) -> act(a, a.has("force") ? 0 : 1)),
                    new Cmd("exists", "pod exists POD", "Exit 0 if the pod exists, 1 if not.", Commands.opts(), false, 0,
                            PodCommands::exists),
                    new Cmd("inspect", "pod inspect POD...", "Show pods as JSON.",
                            Commands.opts(Opt.value("-f,--format", "FORMAT", "Template."), latest), false, 0, PodCommands::inspect),
                    new Cmd("ps", "pod ps [-q] [--noheading] [--format F]", "List pods (berth has none: the list is empty).",
                            Commands.opts(Opt.flag("-q,--quiet", "Print IDs only."), Opt.flag("--noheading", "Do not print the heading."),
                                    Opt.flag("--no-trunc", "Do not truncate IDs."), Opt.flag("--ns", "Accepted for podman's sake."),
                                    Opt.value("-f,--filter", "KEY=VALUE", "Filter (any filter matches nothing)."),
                                    Opt.value("--sort", "KEY", "Sort key."), Opt.value("--format", "FORMAT", "json, or a template.")),
                            false, 0, PodCommands::ps));
        }
        return group;
    }

    /** podman's kill parses the signal before it looks for a pod. */
    private static int kill(Context ctx, Args a) {
        Engine.checkPodSignal(a.get("signal", "KILL"));
        return act(a, 125);
    }

    /**
     * stop, kill, rm: podman's argument checks, then the first pod named is missing ({@code
     * missingCode}: podman's exit code for it, 1 for rm, 0 for rm -f), unless --ignore.
     */
    private static int act(Args a, int missingCode) {
        List<String> pods = a.positional();
        boolean all = a.has("all");
        if (all && !pods.isEmpty()) {
            throw Commands.usage("no arguments are needed with --all");
        }
        if (a.has("latest")) {
            throw new BerthException(ErrorCode.NO_SUCH_POD, null);
        }
        if (!all && pods.isEmpty()) {
            throw Commands.usage("you must provide at least one name or id");
        }
        if (all || a.has("ignore") || pods.isEmpty() || missingCode == 0) {
            return 0;
        }
        System.err.println("Error: " + missing(pods.get(0)).getMessage());
        return missingCode;
    }

    private static BerthException missing(String pod) {
        return new BerthException(ErrorCode.NO_SUCH_POD, "no pod with name or ID " + pod + " found");
    }

    private static int exists(Context ctx, Args a) {
        if (a.positional().size() != 1) {
            throw Commands.usage("accepts 1 arg(s), received " + a.positional().size());
        }
        return 1;
    }

    private static int inspect(Context ctx, Args a) {
        if (a.positional().isEmpty() && !a.has("latest")) {
            throw Commands.usage("no names or ids specified");
        }
        System.out.println("[]");
        String what = a.positional().isEmpty() ? "" : " " + a.positional().get(0);
        throw Commands.usage("inspecting object: no such pod" + what);
    }

    /** An empty list, in the shape asked for. */
    private static int ps(Context ctx, Args a) {
        String format = a.get("format");
        if ("json".equals(format)) {
            System.out.println("[]");
        } else if (format != null) {
            if (!a.has("noheading")) {
                System.out.print(Output.render("pod ps", format, List.of(), java.util.Map.of()));
            }
        } else if (!a.has("quiet") && !a.has("noheading")) {
            System.out.println("POD ID      NAME        STATUS      CREATED     INFRA ID    # OF CONTAINERS");
        }
        return 0;
    }
}
