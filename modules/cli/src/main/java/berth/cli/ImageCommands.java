package berth.cli;

import berth.engine.Images;
import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.model.Container;
import berth.kernel.model.ImageConfig;
import berth.kernel.model.ImageInfo;
import berth.kernel.model.ArchiveFormat;
import berth.kernel.model.ImageRemoval;
import berth.kernel.model.PullOptions;
import berth.kernel.model.PushOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The image commands, podman's names and flags: pull, push, images, rmi, tag, untag, load, save, import, commit, image ... */
final class ImageCommands {
    private static List<Cmd> group;
    /** podman images' header names where they are not the field's own. */
    private static final Map<String, String> IMAGE_HEADERS = Map.of("ID", "image id", "Repository", "repository", "Tag", "tag",
            "Created", "created", "Size", "size", "Digest", "digest");

    private ImageCommands() {
    }

    static final List<Opt> PULL_FLAGS = List.of(
            Opt.value("--tls-verify", "BOOL", "Require HTTPS and verify certificates (default true; false also allows plain HTTP)."),
            Opt.value("--authfile", "FILE", "Credentials file (default: podman's auth.json locations)."),
            Opt.value("--creds", "USER:PASSWORD", "Credentials for the registry."));

    private static List<Opt> with(List<Opt> base, Opt... more) {
        List<Opt> l = new ArrayList<>(base);
        l.addAll(List.of(more));
        return Commands.opts(l.toArray(new Opt[0]));
    }

    /** The top-level image commands (pull, images, rmi, ...). */
    static List<Cmd> topLevel() {
        List<Cmd> l = new ArrayList<>();
        l.add(pull("pull"));
        l.add(push("push"));
        l.add(list("images"));
        l.add(rmi("rmi"));
        l.add(tag("tag"));
        l.add(untag("untag"));
        l.add(load("load"));
        l.add(save("save"));
        l.add(importCmd("import"));
        l.add(new Cmd("commit", "commit [flags] CONTAINER [IMAGE]", "Create an image from a container's changes.",
                Commands.opts(Opt.value("-a,--author", "AUTHOR", "Author of the image."), Opt.value("-m,--message", "TEXT", "Commit message."),
                        Opt.value("-c,--change", "INSTRUCTION", "Apply a Dockerfile instruction (CMD, ENTRYPOINT, ENV, WORKDIR, USER, LABEL, EXPOSE)."),
                        Opt.flag("-q,--quiet", "Print only the image ID."), Opt.flag("-p,--pause", "Pause the container while committing (accepted).")),
                false, 1, ImageCommands::commit));
        return l;
    }

    /** {@code berth image COMMAND}. */
    static List<Cmd> group() {
        if (group == null) {
            List<Cmd> l = new ArrayList<>();
            l.add(pull("pull"));
            l.add(push("push"));
            l.add(list("ls"));
            l.add(list("list"));
            l.add(rmi("rm"));
            l.add(tag("tag"));
            l.add(untag("untag"));
            l.add(load("load"));
            l.add(save("save"));
            l.add(importCmd("import"));
            l.add(new Cmd("inspect", "image inspect [-f FORMAT] IMAGE...", "Show images' configuration as JSON.",
                    Commands.opts(Opt.value("-f,--format", "FORMAT", "Template, e.g. '{{.Id}}'.")), false, 1, ImageCommands::inspect));
            l.add(new Cmd("exists", "image exists IMAGE", "Exit 0 when the image exists locally, 1 when not.", Commands.opts(), false, 1,
                    ImageCommands::exists));
            l.add(new Cmd("prune", "image prune [-a] [-f]", "Remove dangling images (every unused image with -a).",
                    Commands.opts(Opt.flag("-a,--all", "Remove every image no container uses."), Opt.flag("-f,--force", "Do not ask.")),
                    false, 0, ImageCommands::prune));
            group = l;
        }
        return group;
    }

    private static Cmd pull(String name) {
        return new Cmd(name, "pull [flags] IMAGE", "Pull an image from a registry or an archive.",
                with(PULL_FLAGS, Opt.flag("-q,--quiet", "Print only the image ID."),
                        Opt.value("--platform", "OS/ARCH", "The platform to pull (default: this host's)."),
                        Opt.value("--arch", "ARCH", "The architecture to pull."), Opt.value("--os", "OS", "The OS to pull."),
                        Opt.value("--variant", "VARIANT", "The architecture variant to pull.")), false, 1, ImageCommands::pull);
    }

    private static Cmd push(String name) {
        return new Cmd(name, "push [flags] IMAGE [DESTINATION]", "Push an image to a registry.",
                with(PULL_FLAGS, Opt.flag("-q,--quiet", "Print nothing."), Opt.value("-f,--format", "FORMAT", "Manifest format: oci or v2s2.")),
                false, 1, ImageCommands::push);
    }

    private static Cmd list(String name) {
        return new Cmd(name, "images [flags] [IMAGE]", "List images.",
                Commands.opts(Opt.flag("-a,--all", "Show all images (intermediate ones too)."), Opt.flag("-q,--quiet", "Print IDs only."),
                        Opt.flag("--no-trunc", "Do not truncate IDs."), Opt.flag("--digests", "Show digests."),
                        Opt.flag("-n,--noheading", "No header row."),
                        Opt.value("-f,--filter", "KEY=VALUE", "Filter: dangling, reference, label, id, before, since."),
                        Opt.value("--format", "FORMAT", "json, or a template such as '{{.Repository}}:{{.Tag}}'.")),
                false, 0, ImageCommands::images);
    }

    private static Cmd rmi(String name) {
        return new Cmd(name, "rmi [-f] [-a] IMAGE...", "Remove images.",
                Commands.opts(Opt.flag("-f,--force", "Remove the containers that use them first."), Opt.flag("-a,--all", "Remove every image."),
                        Opt.flag("-i,--ignore", "Ignore images that do not exist.")), false, 0, ImageCommands::rmi);
    }

    private static Cmd tag(String name) {
        return new Cmd(name, "tag IMAGE NAME...", "Add names to an image.", Commands.opts(), false, 2, ImageCommands::tag);
    }

    private static Cmd untag(String name) {
        return new Cmd(name, "untag IMAGE [NAME...]", "Remove names from an image (all of them when none is given).",
                Commands.opts(), false, 1, ImageCommands::untag);
    }

    private static Cmd load(String name) {
        return new Cmd(name, "load [-i FILE] [-q]", "Load images from a docker-archive or oci-archive tarball.",
                Commands.opts(Opt.value("-i,--input", "FILE", "Read from FILE instead of standard input."), Opt.flag("-q,--quiet", "Print less.")),
                false, 0, ImageCommands::load);
    }

    private static Cmd save(String name) {
        return new Cmd(name, "save [-o FILE] [--format F] IMAGE...", "Save images to an archive.",
                Commands.opts(Opt.value("-o,--output", "FILE", "Write to FILE instead of standard output."),
                        Opt.value("--format", "FORMAT", "docker-archive (default), oci-archive or oci-dir."),
                        Opt.flag("-m,--multi-image-archive", "Several images in one docker-archive."),
                        Opt.flag("-q,--quiet", "Print nothing.")), false, 1, ImageCommands::save);
    }

    private static Cmd importCmd(String name) {
        return new Cmd(name, "import [flags] TARBALL|- [IMAGE]", "Create an image from a root filesystem tarball.",
                Commands.opts(Opt.value("-c,--change", "INSTRUCTION", "Apply a Dockerfile instruction (CMD, ENTRYPOINT, ENV, WORKDIR, USER, LABEL, EXPOSE)."),
                        Opt.value("-m,--message", "TEXT", "Commit message."), Opt.flag("-q,--quiet", "Print only the image ID.")),
                false, 1, ImageCommands::importTarball);
    }

    // ------------------------------------------------------------------ handlers

    static PullOptions pullOptions(Args a, boolean quiet) {
        String tls = a.get("tls-verify");
        String platform = a.get("platform");
        String os = a.get("os");
        String arch = a.get("arch");
        if (platform != null) {
            String[] p = platform.split("/");
            os = p[0];
            arch = p.length > 1 ? p[1] : arch;
        }
        return new PullOptions(tls == null ? null : Boolean.valueOf(!tls.equals("false")), a.get("authfile") == null ? null : Path.of(a.get("authfile")),
                a.get("creds"), os, arch, a.get("variant"), PullDisplay.forStderr(quiet));
    }

    static int pull(Context ctx, Args a) {
        ImageInfo i = ctx.engine().images().pull(a.positional().get(0), pullOptions(a, a.has("quiet")));
        System.out.println(i.id());
        return 0;
    }

    static int push(Context ctx, Args a) {
        String tls = a.get("tls-verify");
        List<String> pos = a.positional();
        ctx.engine().images().push(pos.get(0), pos.size() > 1 ? pos.get(1) : null, new PushOptions(tls == null ? null : !tls.equals("false"),
                a.get("authfile") == null ? null : Path.of(a.get("authfile")), a.get("creds"), a.get("format"),
                PullDisplay.forStderr(a.has("quiet"))));
        return 0;
    }

    static int images(Context ctx, Args a) {
        Images images = ctx.engine().images();
        List<ImageInfo> all = ImageFilters.apply(images, images.list(), a.all("filter"), a.positional());
        Map<String, Integer> users = new HashMap<>();
        for (Container c : ctx.engine().containers()) {
            if (c.config().fromImage()) {
                users.merge(c.config().imageId(), 1, Integer::sum);
            }
        }
        StringBuilder out = new StringBuilder();
        String format = a.get("format");
        if (a.has("quiet")) {
            java.util.Set<String> seen = new java.util.LinkedHashSet<>();
            all.forEach(i -> seen.add(a.has("no-trunc") ? "sha256:" + i.id() : i.shortId()));
            seen.forEach(id -> out.append(id).append('\n'));
        } else if (berth.cli.template.Report.isJson(format)) {
            List<Object> docs = new ArrayList<>();
            all.forEach(i -> docs.add(ImageOutput.json(i, users.getOrDefault(i.id(), 0))));
            out.append(ImageOutput.json(docs)).append('\n');
        } else if (format != null && !format.isEmpty()) {
            out.append(Output.render("images", format, ImageOutput.rows(all, a.has("no-trunc"), users),
                    a.has("noheading") ? null : IMAGE_HEADERS));
        } else {
            List<String[]> rows = new ArrayList<>();
            boolean digests = a.has("digests");
            if (!a.has("noheading")) {
                rows.add(digests ? new String[] {"REPOSITORY", "TAG", "DIGEST", "IMAGE ID", "CREATED", "SIZE"}
                        : new String[] {"REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE"});
            }
            for (Map<String, Object> r : ImageOutput.rows(all, a.has("no-trunc"), users)) {
                rows.add(digests ? new String[] {(String) r.get("Repository"), (String) r.get("Tag"), (String) r.get("Digest"),
                    (String) r.get("ID"), (String) r.get("Created"), (String) r.get("Size")}
                        : new String[] {(String) r.get("Repository"), (String) r.get("Tag"), (String) r.get("ID"),
                            (String) r.get("Created"), (String) r.get("Size")});
            }
            Output.table(out, rows);
        }
        System.out.print(out);
        System.out.flush();
        return 0;
    }

    static int rmi(Context ctx, Args a) {
        Images images = ctx.engine().images();
        List<String> refs = new ArrayList<>(a.positional());
        if (a.has("all")) {
            if (!refs.isEmpty()) {
                throw Args.usage("berth rmi", "when using the --all switch, you may not pass any images names or IDs");
            }
            images.list().forEach(i -> refs.add(i.id()));
        } else if (refs.isEmpty()) {
            throw Args.usage("berth rmi", "image name or ID must be specified");
        }
        int rc = 0;
        for (String r : refs) {
            try {
                ImageRemoval rem = images.remove(r, a.has("force"));
                rem.untagged().forEach(n -> System.out.println("Untagged: " + n));
                rem.deleted().forEach(id -> System.out.println("Deleted: " + id));
            } catch (BerthException e) {
                if (a.has("ignore") && e.code() == ErrorCode.IMAGE_NOT_FOUND) {
                    continue;
                }
                System.err.println("Error: " + e.getMessage());
                rc = e.code() == ErrorCode.IMAGE_NOT_FOUND ? 1 : e.code() == ErrorCode.IMAGE_IN_USE ? 2 : e.exitCode();
            }
        }
        return rc;
    }

    static int tag(Context ctx, Args a) {
        Images images = ctx.engine().images();
        List<String> pos = a.positional();
        for (String n : pos.subList(1, pos.size())) {
            images.tag(pos.get(0), n);
        }
        return 0;
    }

    static int untag(Context ctx, Args a) {
        Images images = ctx.engine().images();
        List<String> pos = a.positional();
        if (pos.size() == 1) {
            images.untag(pos.get(0), null);
        }
        for (String n : pos.subList(1, pos.size())) {
            images.untag(pos.get(0), n);
        }
        return 0;
    }

    static int inspect(Context ctx, Args a) {
        Images images = ctx.engine().images();
        List<Object> docs = new ArrayList<>();
        String driver = images.driver();
        for (String r : a.positional()) {
            docs.add(ImageOutput.inspect(images.get(r), driver));
        }
        String format = a.get("format");
        if (format != null && !format.equals("json")) {
            for (Object d : docs) {
                @SuppressWarnings("unchecked")
                Map<String, Object> m = (Map<String, Object>) d;
                System.out.println(Output.template(format, m));
            }
        } else {
            System.out.println(ImageOutput.json(docs));
        }
        return 0;
    }

    static int exists(Context ctx, Args a) {
        return ctx.engine().images().find(a.positional().get(0)).isPresent() ? 0 : 1;
    }

    static int prune(Context ctx, Args a) {
        for (ImageRemoval r : ctx.engine().images().prune(a.has("all"))) {
            r.deleted().forEach(System.out::println);
        }
        return 0;
    }

    static int load(Context ctx, Args a) {
        Path input = a.get("input") == null ? null : Path.of(a.get("input"));
        Path temp = null;
        try {
            if (input == null) {
                if (System.console() != null) {
                    throw new BerthException(ErrorCode.INVALID_ARGUMENT, "cannot read from terminal, use command-line redirection or the --input flag");
                }
                temp = spool(System.in);
                input = temp;
            } else if (!Files.isRegularFile(input)) {
                throw new BerthException(ErrorCode.INVALID_ARGUMENT, "open " + input + ": no such file or directory");
            }
            List<ImageInfo> loaded = ctx.engine().images().load(input, PullOptions.DEFAULT.withListener(PullDisplay.forStderr(a.has("quiet"))));
            for (ImageInfo i : loaded) {
                System.out.println("Loaded image: " + (i.names().isEmpty() ? "sha256:" + i.id() : String.join(", ", i.names())));
            }
            return 0;
        } finally {
            deleteQuietly(temp);
        }
    }

    static int save(Context ctx, Args a) {
        ArchiveFormat format;
        try {
            format = ArchiveFormat.parse(a.get("format", "docker-archive"));
        } catch (IllegalArgumentException e) {
            throw Args.usage("berth save", e.getMessage());
        }
        String output = a.get("output");
        if (output == null) {
            if (System.console() != null) {
                throw new BerthException(ErrorCode.INVALID_ARGUMENT, "refusing to save to terminal. Use -o flag or redirect");
            }
            if (format == ArchiveFormat.OCI_DIR) {
                throw Args.usage("berth save", "--format oci-dir needs -o DIR");
            }
            Path temp = null;
            try {
                temp = Files.createTempFile(ctx.engine().config().runRoot().getParent(), "berth-save", ".tar");
                Files.delete(temp);
                ctx.engine().images().save(a.positional(), temp, format);
                Files.copy(temp, System.out);
                System.out.flush();
            } catch (IOException e) {
                throw new BerthException(ErrorCode.INTERNAL, "writing the archive to standard output: " + e.getMessage(), e);
            } finally {
                deleteQuietly(temp);
            }
            return 0;
        }
        ctx.engine().images().save(a.positional(), Path.of(output), format);
        return 0;
    }

    static int importTarball(Context ctx, Args a) {
        List<String> pos = a.positional();
        Path temp = null;
        try {
            Path tarball;
            if (pos.get(0).equals("-")) {
                temp = spool(System.in);
                tarball = temp;
            } else {
                tarball = Path.of(pos.get(0));
                if (!Files.isRegularFile(tarball)) {
                    throw new BerthException(ErrorCode.INVALID_ARGUMENT, "open " + tarball + ": no such file or directory");
                }
            }
            ImageConfig cfg = Changes.apply(ImageConfig.EMPTY, a.all("change"));
            ImageInfo i = ctx.engine().images().importTarball(tarball, pos.size() > 1 ? pos.get(1) : null, cfg);
            System.out.println(i.id());
            return 0;
        } finally {
            deleteQuietly(temp);
        }
    }

    static int commit(Context ctx, Args a) {
        List<String> pos = a.positional();
        List<String> changes = a.all("change");
        ImageConfig cfg = null;
        if (!changes.isEmpty()) {
            Container c = ctx.engine().container(pos.get(0));
            ImageConfig base = new ImageConfig(c.config().user(), c.config().env(), List.of(), c.config().command(),
                    c.config().workingDir(), "", List.of(), List.of(), c.config().labels());
            cfg = Changes.apply(base, changes);
        }
        ImageInfo i = ctx.engine().images().commit(pos.get(0), pos.size() > 1 ? pos.get(1) : null, cfg, a.get("author", ""),
                a.get("message", ""));
        System.out.println(i.id());
        return 0;
    }

    /** Standard input to a temporary file: archives are read with random access. */
    private static Path spool(InputStream in) {
        try {
            Path temp = Files.createTempFile("berth-input", ".tar");
            Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
            return temp;
        } catch (IOException e) {
            throw new BerthException(ErrorCode.INTERNAL, "reading standard input: " + e.getMessage(), e);
        }
    }

    private static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // a temporary file; the system's tmp cleaner takes it
            }
        }
    }
}
