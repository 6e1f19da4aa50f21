package berth.cli;

import berth.engine.CreateOptions;
import berth.engine.Engine;
import berth.engine.Volumes;
import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.json.Json;
import berth.kernel.model.Container;
import berth.kernel.model.Timestamps;
import berth.kernel.model.Volume;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/** {@code berth volume ...}, podman's volume commands with its output and exit codes. */
final class VolumeCommands {
    private static List<Cmd> group;

    private VolumeCommands() {
    }

    /** The {@code run/create} flags this class adds. */
    static final List<Opt> CREATE_FLAGS = List.of(
            Opt.value("--mount", "type=TYPE,...", "Attach a filesystem mount: type=volume|bind|tmpfs,source=,target=[,ro]."),
            Opt.value("--volumes-from", "CTR[:ro|rw]", "Mount the volumes of another container."));

    /** {@code --mount} and {@code --volumes-from} added to the options the other flags made. */
    static CreateOptions withMountFlags(Args a, CreateOptions o) {
        return o.withMounts(a.all("mount"), a.all("volumes-from"));
    }

    /** {@code rm -v}: the container's anonymous volumes, after it is removed. */
    static void removeAnonymousVolumes(Engine e, Container removed) {
        e.volumes().removeAnonymous(removed);
    }

    static List<Cmd> group() {
        if (group == null) {
            group = List.of(
                    new Cmd("create", "volume create [-o K=V] [--label K=V] [NAME]", "Create a volume.",
                            Commands.opts(Opt.value("-d,--driver", "DRIVER", "Volume driver (local)."),
                                    Opt.value("-o,--opt", "K=V", "Driver options: type=, device=, o= (repeatable)."),
                                    Opt.value("-l,--label", "K=V", "Set a label (repeatable).")), false, 0, VolumeCommands::create),
                    new Cmd("ls", "volume ls [-q] [--format F] [--filter K=V]", "List volumes.",
                            Commands.opts(Opt.flag("-q,--quiet", "Print names only."), Opt.flag("-n,--noheading", "No header."),
                                    Opt.value("--format", "FORMAT", "json, or a template such as '{{.Name}}'."),
                                    Opt.value("-f,--filter", "K=V", "name=, label=, dangling=, driver= (repeatable).")),
                            false, 0, VolumeCommands::ls),
                    new Cmd("inspect", "volume inspect [-a] [-f FORMAT] VOLUME...", "Show volumes as JSON.",
                            Commands.opts(Opt.flag("-a,--all", "Inspect every volume."),
                                    Opt.value("-f,--format", "FORMAT", "Template, e.g. '{{.Mountpoint}}'.")), false, 0, VolumeCommands::inspect),
                    new Cmd("rm", "volume rm [-f] [-a] VOLUME...", "Remove volumes (refused while in use, unless forced).",
                            Commands.opts(Opt.flag("-f,--force", "Remove the containers using the volume first."),
                                    Opt.flag("-a,--all", "Remove every volume."),
                                    Opt.value("-t,--time", "SECONDS", "Seconds before SIGKILL when forced.")), false, 0, VolumeCommands::rm),
                    new Cmd("prune", "volume prune [-f] [--filter K=V]", "Remove every volume no container uses.",
                            Commands.opts(Opt.flag("-f,--force", "Do not ask for confirmation."),
                                    Opt.value("--filter", "K=V", "label= (repeatable).")), false, 0, VolumeCommands::prune),
                    new Cmd("exists", "volume exists VOLUME", "Exit 0 when the volume exists, 1 when not.", Commands.opts(), false, 1,
                            VolumeCommands::exists),
                    new Cmd("mount", "volume mount VOLUME", "Mount a volume on the host and print its mount point.", Commands.opts(),
                            false, 1, VolumeCommands::mount),
                    new Cmd("unmount", "volume unmount VOLUME", "Unmount a volume's own mount.", Commands.opts(), false, 1,
                            VolumeCommands::unmount),
                    new Cmd("export", "volume export [-o FILE] VOLUME", "Write a volume's content as a tar.",
                            Commands.opts(Opt.value("-o,--output", "FILE", "Write to FILE instead of standard output.")), false, 1,
                            VolumeCommands::export),
                    new Cmd("import", "volume import VOLUME FILE|-", "Unpack a tar into a volume.", Commands.opts(), false, 2,
                            VolumeCommands::importTar));
        }
        return group;
    }

    static int create(Context ctx, Args a) {
        if (a.positional().size() > 1) {
            throw Args.usage("berth volume create", "too many arguments, create takes at most 1 argument");
        }
        Map<String, String> opts = new LinkedHashMap<>();
        for (String o : a.all("opt")) {
            int eq = o.indexOf('=');
            if (eq <= 0) {
                throw new BerthException(ErrorCode.INVALID_ARGUMENT, "invalid volume option \"" + o + "\": expected KEY=VALUE");
            }
            opts.put(o.substring(0, eq), o.substring(eq + 1));
        }
        String name = a.positional().isEmpty() ? "" : a.positional().get(0);
        Volume v = ctx.engine().volumes().create(name, a.get("driver"), opts, Commands.kv(a.all("label")));
        System.out.println(v.name());
        return 0;
    }

    /** podman's inspect document of a volume. */
    static Map<String, Object> inspectJson(Volume v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Name", v.name());
        m.put("Driver", v.driver());
        m.put("Mountpoint", v.mountpoint());
        m.put("CreatedAt", v.createdAt() == null ? "" : Timestamps.format(v.createdAt()));
        m.put("Labels", new LinkedHashMap<>(v.labels()));
        m.put("Scope", "local");
        m.put("Options", new LinkedHashMap<>(v.options()));
        m.put("MountCount", 0);
        m.put("NeedsCopyUp", v.needsCopyUp());
        m.put("Anonymous", v.anonymous());
        return m;
    }

    static int ls(Context ctx, Args a) {
        Volumes vols = ctx.engine().volumes();
        Predicate<Volume> filter = filter(a.all("filter"), vols, "volume ls");
        List<Volume> shown = new ArrayList<>();
        for (Volume v : vols.list()) {
            if (filter.test(v)) {
                shown.add(v);
            }
        }
        StringBuilder out = new StringBuilder(48 * (shown.size() + 1));
        String format = a.get("format");
        if (a.has("quiet")) {
            shown.forEach(v -> out.append(v.name()).append('\n'));
        } else if ("json".equals(format)) {
            List<Object> rows = new ArrayList<>();
            shown.forEach(v -> rows.add(inspectJson(v)));
            out.append(Json.write(rows, true)).append('\n');
        } else if (format != null && !format.isEmpty()) {
            boolean table = format.startsWith("table");
            String f = (table ? format.substring(5).trim() : format).replace("\\t", "\t").replace("\\n", "\n");
            if (table && !a.has("noheading")) {
                out.append(header(f)).append('\n');
            }
            shown.forEach(v -> out.append(Output.template(f, inspectJson(v))).append('\n'));
        } else {
            if (!a.has("noheading")) {
                out.append("DRIVER      VOLUME NAME\n");
            }
            for (Volume v : shown) {
                out.append(v.driver());
                out.append(" ".repeat(Math.max(1, 12 - v.driver().length())));
                out.append(v.name()).append('\n');
            }
        }
        OutputStream o = new BufferedOutputStream(Commands.STDOUT, 1 << 16);
        try {
            o.write(out.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            o.flush();
        } catch (IOException e) {
            throw new BerthException(ErrorCode.INTERNAL, "writing the volume list: " + e.getMessage(), e);
        }
        return 0;
    }

    private static final Pattern FIELD = Pattern.compile("\\{\\{\\s*\\.([A-Za-z0-9_.]+)\\s*}}");

    /** A table format's header row: each {{.Field}} as FIELD (until the shared template engine's table directive is used here). */
    static String header(String format) {
        java.util.regex.Matcher m = FIELD.matcher(format);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(sb, java.util.regex.Matcher.quoteReplacement(m.group(1).toUpperCase(java.util.Locale.ROOT)));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /** podman's volume filters; several of one key match any, different keys must all match. */
    @SuppressWarnings("unchecked")
    static Predicate<Volume> filter(List<String> filters, Volumes vols, String command) {
        Map<String, List<String>> byKey = new LinkedHashMap<>();
        for (String f : filters) {
            int eq = f.indexOf('=');
            if (eq <= 0) {
                throw new BerthException(ErrorCode.INVALID_ARGUMENT, "invalid filter \"" + f + "\": expected KEY=VALUE");
            }
            String key = f.substring(0, eq);
            if (!List.of("name", "label", "dangling", "driver", "scope", "label!").contains(key)) {
                throw new BerthException(ErrorCode.INVALID_ARGUMENT, "\"" + key + "\" is an invalid volume filter");
            }
            byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(f.substring(eq + 1));
        }
        Predicate<Volume> all = v -> true;
        java.util.Set<String>[] inUse = new java.util.Set[1]; // read once, when a dangling filter first asks
        for (Map.Entry<String, List<String>> e : byKey.entrySet()) {
            List<String> values = e.getValue();
            Predicate<Volume> any = switch (e.getKey()) {
                case "name" -> {
                    List<Pattern> ps = new ArrayList<>();
                    values.forEach(x -> ps.add(Pattern.compile(x)));
                    yield v -> ps.stream().anyMatch(p -> p.matcher(v.name()).find());
                }
                case "label" -> v -> values.stream().anyMatch(l -> labelMatches(v, l));
                case "label!" -> v -> values.stream().noneMatch(l -> labelMatches(v, l));
                case "driver" -> v -> values.contains(v.driver());
                case "scope" -> v -> values.contains("local");
                default -> { // dangling
                    for (String x : values) {
                        if (!x.equals("true") && !x.equals("false") && !x.equals("1") && !x.equals("0")) {
                            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "invalid dangling filter value \"" + x + "\"");
                        }
                    }
                    boolean want = values.get(values.size() - 1).equals("true") || values.get(values.size() - 1).equals("1");
                    yield v -> {
                        if (inUse[0] == null) {
                            inUse[0] = vols.inUse();
                        }
                        return !inUse[0].contains(v.name()) == want;
                    };
                }
            };
            all = all.and(any);
        }
        return all;
    }

    private static boolean labelMatches(Volume v, String l) {
        int eq = l.indexOf('=');
        if (eq < 0) {
            return v.labels().containsKey(l);
        }
        return l.substring(eq + 1).equals(v.labels().get(l.substring(0, eq)));
    }

    static int inspect(Context ctx, Args a) {
        Volumes vols = ctx.engine().volumes();
        List<String> names = a.has("all") ? names(vols.list()) : a.positional();
        if (names.isEmpty() && !a.has("all")) {
            throw Args.usage("berth volume inspect", "provide one or more volume names or use --all");
        }
        List<Object> found = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String n : names) {
            try {
                found.add(inspectJson(vols.get(n)));
            } catch (BerthException e) {
                if (e.code() != ErrorCode.NO_SUCH_VOLUME) {
                    throw e;
                }
                missing.add(n);
            }
        }
        String format = a.get("format");
        if (format != null && !format.isEmpty() && !format.equals("json")) {
            String f = format.replace("\\t", "\t").replace("\\n", "\n");
            StringBuilder sb = new StringBuilder();
            for (Object o : found) {
                @SuppressWarnings("unchecked")
                Map<String, Object> m = (Map<String, Object>) o;
                sb.append(Output.template(f, m)).append('\n');
            }
            System.out.print(sb);
        } else {
            System.out.println(Json.write(found, true));
        }
        for (String n : missing) {
            System.err.println("Error: no such volume " + n);
        }
        return missing.isEmpty() ? 0 : 125;
    }

    private static List<String> names(List<Volume> vs) {
        List<String> out = new ArrayList<>();
        vs.forEach(v -> out.add(v.name()));
        return out;
    }

    static int rm(Context ctx, Args a) {
        Volumes vols = ctx.engine().volumes();
        boolean force = a.has("force");
        Integer t = a.integer("time", "berth volume rm");
        List<String> names = a.has("all") ? names(vols.list()) : a.positional();
        if (!a.has("all") && names.isEmpty()) {
            throw Args.usage("berth volume rm", "choose either one or more volumes or all");
        }
        if (a.has("all") && !a.positional().isEmpty()) {
            throw Args.usage("berth volume rm", "choose either one or more volumes or all");
        }
        int rc = 0;
        for (String n : names) {
            try {
                vols.remove(n, force, t);
                System.out.println(n);
            } catch (BerthException e) {
                System.err.println("Error: " + e.getMessage());
                // podman: 1 for a volume that does not exist, 2 for one in use
                rc = e.code() == ErrorCode.NO_SUCH_VOLUME ? 1 : e.exitCode();
            }
        }
        return rc;
    }

    static int prune(Context ctx, Args a) {
        Volumes vols = ctx.engine().volumes();
        Predicate<Volume> filter = filter(a.all("filter"), vols, "volume prune");
        if (!a.has("force")) {
            System.out.print("WARNING! This will remove all volumes not used by at least one container. The following volumes will be removed:\n");
            java.util.Set<String> inUse = vols.inUse();
            for (Volume v : vols.list()) {
                if (filter.test(v) && !inUse.contains(v.name())) {
                    System.out.println(v.name());
                }
            }
            System.out.print("Are you sure you want to continue? [y/N] ");
            System.out.flush();
            String answer = readLine();
            if (!answer.trim().equalsIgnoreCase("y") && !answer.trim().equalsIgnoreCase("yes")) {
                return 0;
            }
        }
        StringBuilder sb = new StringBuilder();
        vols.prune(filter).forEach(n -> sb.append(n).append('\n'));
        System.out.print(sb);
        return 0;
    }

    private static String readLine() {
        try {
            StringBuilder sb = new StringBuilder();
            int ch;
            while ((ch = System.in.read()) >= 0 && ch != '\n') {
                sb.append((char) ch);
            }
            return sb.toString();
        } catch (IOException e) {
            return "";
        }
    }

    static int exists(Context ctx, Args a) {
        return ctx.engine().volumes().exists(a.positional().get(0)) ? 0 : 1;
    }

    static int mount(Context ctx, Args a) {
        System.out.println(ctx.engine().volumes().mount(a.positional().get(0)));
        return 0;
    }

    static int unmount(Context ctx, Args a) {
        String n = a.positional().get(0);
        ctx.engine().volumes().unmount(n);
        System.out.println(n);
        return 0;
    }

    static int export(Context ctx, Args a) {
        String file = a.get("output");
        Volumes vols = ctx.engine().volumes();
        String name = a.positional().get(0);
        vols.get(name); // an unknown volume fails before any file is made
        if (file == null) {
            if (System.console() != null) {
                throw new BerthException(ErrorCode.INVALID_ARGUMENT,
                        "cannot write to terminal, use command-line redirection or the --output flag");
            }
            OutputStream out = new BufferedOutputStream(Commands.STDOUT, 1 << 16);
            vols.export(name, out);
            flush(out);
            return 0;
        }
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(Path.of(file)), 1 << 16)) {
            vols.export(name, out);
        } catch (IOException e) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "writing " + file + ": " + e.getMessage(), e);
        }
        return 0;
    }

    private static void flush(OutputStream out) {
        try {
            out.flush();
        } catch (IOException e) {
            throw new BerthException(ErrorCode.INTERNAL, "writing the tar: " + e.getMessage(), e);
        }
    }

    static int importTar(Context ctx, Args a) {
        Volumes vols = ctx.engine().volumes();
        String name = a.positional().get(0);
        String file = a.positional().get(1);
        vols.get(name);
        if (file.equals("-")) {
            vols.importFrom(name, System.in);
            return 0;
        }
        try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(Path.of(file)), 1 << 16)) {
            vols.importFrom(name, in);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "open " + file + ": no such file or directory");
        } catch (IOException e) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "reading " + file + ": " + e.getMessage(), e);
        }
        return 0;
    }
}
