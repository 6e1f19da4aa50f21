package berth.cli;

import berth.cli.template.Report;
import berth.cli.template.TemplateException;
import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.json.Json;
import berth.kernel.model.Container;
import berth.kernel.model.ContainerStatus;
import berth.kernel.model.PortMapping;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** ps tables, JSON, and Go-template formats (berth.cli.template, podman's rules). */
final class Output {
    /** podman ps's header names where they are not the field's own (createPsOut). */
    private static final Map<String, String> PS_HEADERS = Map.of("ID", "container id", "CreatedHuman", "created");
    private static volatile ParsedFormat lastFormat;

    /** The last --format parsed, kept for the next container of the same command. */
    private record ParsedFormat(String command, String format, Report report) {
    }

    private Output() {
    }

    /** What {@code ps} lists: podman's rules (pkg/ps GetContainerLists). */
    record PsSelection(boolean all, ContainerFilters filters, boolean statusFiltered, int last, String sort) {
    }

    static void ps(List<Container> containers, PsSelection sel, boolean quiet, boolean noTrunc, String format) {
        // podman: only running containers unless --all, --last or a status filter says otherwise
        boolean all = sel.all() || sel.last() > 0 || sel.statusFiltered();
        List<Container> shown = new ArrayList<>();
        for (Container c : containers) {
            if ((all || c.status() == ContainerStatus.RUNNING) && sel.filters().matches(c)) {
                shown.add(c);
            }
        }
        shown.sort((x, y) -> x.config().createdAt().compareTo(y.config().createdAt()));
        if (sel.last() > 0 && sel.last() < shown.size()) {
            List<Container> newest = new ArrayList<>(shown.subList(shown.size() - sel.last(), shown.size()));
            shown = newest;
        }
        if (sel.sort() != null) {
            shown.sort(psOrder(sel.sort()));
        }
        StringBuilder out = new StringBuilder(64 * (shown.size() + 1));
        if (quiet) {
            for (Container c : shown) {
                out.append(noTrunc ? c.id() : c.config().shortId()).append('\n');
            }
        } else if (Report.isJson(format)) {
            List<Object> rows = new ArrayList<>();
            for (Container c : shown) {
                rows.add(row(c, true));
            }
            out.append(Json.write(rows, true)).append('\n');
        } else if (format != null && !format.isEmpty()) {
            List<Map<String, Object>> rows = new ArrayList<>(shown.size());
            for (Container c : shown) {
                rows.add(row(c, noTrunc));
            }
            out.append(render("ps", format, rows, PS_HEADERS));
        } else {
            // padded by hand, columns as wide as their widest cell (String.format's first use loads
            // locale data, ~10 ms of a 40 ms command)
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"CONTAINER ID", "IMAGE", "COMMAND", "CREATED", "STATUS", "PORTS", "NAMES"});
            for (Container c : shown) {
                Map<String, Object> r = row(c, noTrunc);
                rows.add(new String[] {(String) r.get("ID"), (String) r.get("Image"), trunc("\"" + r.get("Command") + "\"", 20),
                    (String) r.get("CreatedHuman"), (String) r.get("Status"), (String) r.get("Ports"), (String) r.get("Names")});
            }
            int[] widths = new int[7];
            for (String[] r : rows) {
                for (int i = 0; i < r.length; i++) {
                    widths[i] = Math.max(widths[i], r[i] == null ? 0 : r[i].length());
                }
            }
            for (String[] r : rows) {
                tableRow(out, widths, r);
            }
        }
        PrintStream o = System.out;
        o.print(out);
        o.flush();
    }

    /** Rows padded to their columns' widest cell, two spaces apart. */
    static void table(StringBuilder out, List<String[]> rows) {
        int cols = rows.isEmpty() ? 0 : rows.get(0).length;
        int[] widths = new int[cols];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                widths[i] = Math.max(widths[i], r[i] == null ? 0 : r[i].length());
            }
        }
        for (String[] r : rows) {
            tableRow(out, widths, r);
        }
    }

    private static void tableRow(StringBuilder out, int[] widths, String... cells) {
        for (int i = 0; i < cells.length; i++) {
            String c = cells[i] == null ? "" : cells[i];
            out.append(c);
            if (i < cells.length - 1) {
                for (int k = c.length(); k < widths[i] + 2; k++) {
                    out.append(' ');
                }
            }
        }
        out.append('\n');
    }

    private static String trunc(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n - 3) + "...";
    }

    /** podman's --sort keys (entities.SortPsOutput); "created" is newest first, the others ascending. */
    static java.util.Comparator<Container> psOrder(String key) {
        switch (key) {
            case "command":
                return (x, y) -> String.join(" ", x.config().command()).compareTo(String.join(" ", y.config().command()));
            case "created", "runningfor":
                return (x, y) -> y.config().createdAt().compareTo(x.config().createdAt());
            case "id":
                return (x, y) -> x.id().compareTo(y.id());
            case "image":
                return (x, y) -> String.valueOf(x.config().image()).compareTo(String.valueOf(y.config().image()));
            case "names":
                return (x, y) -> x.name().compareTo(y.name());
            case "status":
                return (x, y) -> status(x).compareTo(status(y));
            case "size":
                return (x, y) -> 0;
            default:
                throw new BerthException(ErrorCode.USAGE, "invalid argument \"" + key + "\" for \"--sort\" flag: " + key
                        + " is not a valid value; valid values: command, created, id, image, names, runningfor, size, status");
        }
    }

    static Map<String, Object> row(Container c, boolean noTrunc) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("ID", noTrunc ? c.id() : c.config().shortId());
        r.put("Id", c.id());
        r.put("Image", c.config().fromImage() ? c.config().image() : "rootfs");
        r.put("ImageID", c.config().imageId());
        r.put("Rootfs", c.config().rootfs());
        r.put("Command", String.join(" ", c.config().command()));
        r.put("Created", c.config().createdAt() == null ? "" : berth.kernel.model.Timestamps.format(c.config().createdAt()));
        r.put("CreatedHuman", ago(c.config().createdAt()));
        r.put("State", c.status().display());
        r.put("Status", status(c));
        r.put("ExitCode", c.state().exitCode());
        r.put("Exited", c.status() == ContainerStatus.EXITED || c.status() == ContainerStatus.STOPPED);
        r.put("Pid", c.state().pid());
        List<String> ports = new ArrayList<>();
        for (PortMapping p : c.config().network().ports()) {
            ports.add(p.toString());
        }
        r.put("Ports", String.join(", ", ports));
        r.put("Names", c.name());
        r.put("Labels", c.config().labels());
        r.put("Runtime", c.config().runtime());
        r.put("RestartCount", c.state().restartCount());
        return r;
    }

    static String status(Container c) {
        switch (c.status()) {
            case RUNNING:
                return "Up " + ago(c.state().startedAt());
            case PAUSED:
                return "Paused";
            case STOPPED:
            case EXITED:
                return "Exited (" + c.state().exitCode() + ") " + ago(c.state().finishedAt());
            case CONFIGURED:
            case CREATED:
                return "Created";
            default:
                return c.status().display();
        }
    }

    static String ago(Instant t) {
        if (t == null) {
            return "";
        }
        long s = Math.max(0, Duration.between(t, Instant.now()).getSeconds());
        if (s < 1) {
            return "Less than a second ago";
        }
        if (s < 60) {
            return s + " second" + (s == 1 ? "" : "s") + " ago";
        }
        if (s < 3600) {
            return s / 60 + " minute" + (s / 60 == 1 ? "" : "s") + " ago";
        }
        if (s < 86400) {
            return s / 3600 + " hour" + (s / 3600 == 1 ? "" : "s") + " ago";
        }
        return s / 86400 + " day" + (s / 86400 == 1 ? "" : "s") + " ago";
    }

    /** The inspect-style format for one value, without its final newline (the caller prints one). */
    static String template(String format, Map<String, Object> data) {
        String s = render("inspect", format, List.of(data), null);
        return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
    }

    /**
     * A user's --format over rows, by podman's rules (see {@link Report}): a "table" format gets a
     * header row named by headerOverrides and the field names; a bad template is podman's exit 125.
     */
    static String render(String command, String format, List<? extends Map<String, Object>> rows, Map<String, String> headerOverrides) {
        try {
            Report report = parsed(command, format);
            return report.render(rows, report.isTable() && headerOverrides != null ? Report.headers(headerOverrides) : null);
        } catch (TemplateException e) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, e.getMessage(), e);
        }
    }

    private static Report parsed(String command, String format) throws TemplateException {
        // inspect renders each container on its own: parse once per format, not per container
        ParsedFormat last = lastFormat;
        if (last != null && last.command().equals(command) && last.format().equals(format)) {
            return last.report();
        }
        Report r = Report.forList(command, Report.Origin.USER, format);
        lastFormat = new ParsedFormat(command, format, r);
        return r;
    }
}
