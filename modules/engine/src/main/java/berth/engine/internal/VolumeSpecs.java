package berth.engine.internal;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.model.Container;
import berth.kernel.model.MountSpec;
import berth.kernel.model.Volume;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code run/create}'s {@code -v}, {@code --mount}, {@code --tmpfs} and {@code --volumes-from},
 * read as podman reads them (pkg/specgenutil/volumes.go), into the container's mounts. A {@code -v}
 * source that is not a path names a volume, created when missing; {@code -v /dir} alone is an
 * anonymous volume. A volume mount is recorded as type {@value #TYPE} with the volume's mount point
 * as source, so the spec binds it like a host directory and the volume's users can be found.
 */
public final class VolumeSpecs {
    public static final String TYPE = "volume";
    private static final String INVALID_SYNTAX = "incorrect mount format: should be --mount type=<bind|tmpfs|volume>,"
            + "[src=<host-dir|volume-name>,]target=<ctr-dir>[,options]";
    private static final Set<String> FLAGS = Set.of("ro", "rw", "z", "Z", "noexec", "exec", "nosuid", "suid", "nodev", "dev",
            "U", "nocopy", "copy", "bind", "rbind", "private", "rprivate", "shared", "rshared", "slave", "rslave",
            "unbindable", "runbindable");
    /** Options that exclude each other, as podman's ProcessOptions pairs them. */
    private static final List<List<String>> EXCLUSIVE = List.of(List.of("rw", "ro"), List.of("noexec", "exec"),
            List.of("nosuid", "suid"), List.of("nodev", "dev"), List.of("nocopy", "copy"), List.of("bind", "rbind"),
            List.of("z", "Z"));

    private final EngineContext ctx;
    private final VolumeFactory volumes;

    public VolumeSpecs(EngineContext ctx) {
        this.ctx = ctx;
        this.volumes = new VolumeFactory(ctx);
    }

    /** Every mount the flags ask for, volumes created; a destination given twice is refused first. */
    public List<MountSpec> resolve(List<String> volumeFlags, List<String> mountFlags, List<String> tmpfsFlags,
                                   List<String> volumesFrom) {
        return resolve(volumeFlags, mountFlags, tmpfsFlags, volumesFrom, List.of());
    }

    /**
     * As above, plus an anonymous volume at each path the image declares ({@code VOLUME}) that no
     * flag mounts something at, as podman adds them: filled from the image at init (copy-up), and
     * removed with the container by {@code run --rm} and {@code rm -v}.
     */
    public List<MountSpec> resolve(List<String> volumeFlags, List<String> mountFlags, List<String> tmpfsFlags,
                                   List<String> volumesFrom, List<String> imageVolumes) {
        List<Pending> pending = new ArrayList<>();
        for (String v : volumeFlags) {
            pending.add(parseVolume(v));
        }
        for (String m : mountFlags) {
            pending.add(parseMount(m));
        }
        for (String t : tmpfsFlags) {
            pending.add(new Pending(MountSpec.parseTmpfs(t), null));
        }
        Set<String> seen = new HashSet<>();
        for (Pending p : pending) {
            if (!seen.add(p.spec().destination())) {
                throw new BerthException(ErrorCode.DUPLICATE_MOUNT, p.spec().destination());
            }
        }
        List<MountSpec> out = new ArrayList<>();
        for (String from : volumesFrom) {
            for (MountSpec m : fromContainer(from)) {
                if (seen.add(m.destination())) { // the container's own flags win over what it inherits
                    out.add(m);
                }
            }
        }
        for (String path : imageVolumes) {
            String dest = imageVolumePath(path);
            if (dest != null && seen.add(dest)) {
                pending.add(new Pending(new MountSpec(TYPE, "", dest, List.of()), ""));
            }
        }
        for (Pending p : pending) {
            out.add(p.volumeName() == null ? p.spec() : volumeMount(p));
        }
        return out;
    }

    /** An image's VOLUME path, cleaned ({@code /data/} is {@code /data}); null for one that is not absolute. */
    static String imageVolumePath(String path) {
        if (path == null || !path.startsWith("/")) {
            return null;
        }
        String clean = Path.of(path).normalize().toString();
        return clean.isEmpty() ? "/" : clean;
    }

    /** A mount, and the volume it needs (null: a bind or tmpfs; "" an anonymous volume). */
    record Pending(MountSpec spec, String volumeName) {
    }

    private MountSpec volumeMount(Pending p) {
        Volume v = p.volumeName().isEmpty() ? volumes.create("", null, Map.of(), Map.of(), true)
                : ctx.state().findVolume(p.volumeName()).orElseGet(() -> createRacing(p.volumeName()));
        return new MountSpec(TYPE, v.mountpoint(), p.spec().destination(), p.spec().options());
    }

    /** Another berth may create the same volume at the same moment: then its volume is ours too. */
    private Volume createRacing(String name) {
        try {
            return volumes.create(name, null, Map.of(), Map.of(), false);
        } catch (BerthException e) {
            if (e.code() == ErrorCode.VOLUME_EXISTS) {
                return ctx.state().volume(name);
            }
            throw e;
        }
    }

    /** {@code -v SRC:DEST[:OPTS]}, {@code -v NAME:DEST[:OPTS]} or {@code -v DEST}. */
    static Pending parseVolume(String spec) {
        String[] parts = spec.split(":", -1);
        if (parts.length > 3 || spec.isEmpty()) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "incorrect volume format \"" + spec
                    + "\", should be [host-dir:]ctr-dir[:option]");
        }
        if (parts.length == 1) {
            requireAbsolute(parts[0], spec);
            return new Pending(new MountSpec(TYPE, "", parts[0], List.of()), "");
        }
        String src = parts[0];
        String dest = parts[1];
        if (src.isEmpty()) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "host directory cannot be empty");
        }
        List<String> opts = parts.length == 3 ? options(parts[2]) : List.of();
        requireAbsolute(dest, spec);
        if (src.startsWith("/") || src.startsWith(".")) {
            return new Pending(new MountSpec("bind", Path.of(src).toAbsolutePath().normalize().toString(), dest, opts), null);
        }
        return new Pending(new MountSpec(TYPE, "", dest, opts), src);
    }

    private static void requireAbsolute(String dest, String spec) {
        if (!dest.startsWith("/")) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "invalid container path \"" + dest
                    + "\", must be an absolute path (in \"" + spec + "\")");
        }
    }

    /** A {@code -v} option list, checked as podman's util.ProcessOptions does. */
    static List<String> options(String list) {
        List<String> out = new ArrayList<>();
        for (String o : list.split(",", -1)) {
            if (!FLAGS.contains(o)) {
                throw new BerthException(ErrorCode.MOUNT_OPTION_INVALID, "unknown mount option \"" + o + "\"");
            }
            for (List<String> pair : EXCLUSIVE) {
                if (pair.contains(o) && (out.contains(pair.get(0)) || out.contains(pair.get(1)))) {
                    throw new BerthException(ErrorCode.MOUNT_OPTION_DUPLICATE, "only one of '" + pair.get(0) + "' and '" + pair.get(1)
                            + "' can be used");
                }
            }
            out.add(o);
        }
        return out;
    }

    /** {@code --mount type=volume|bind|tmpfs,source=,target=[,ro][,...]}. */
    static Pending parseMount(String spec) {
        Map<String, String> kv = new LinkedHashMap<>();
        List<String> flags = new ArrayList<>();
        for (String part : spec.split(",", -1)) {
            int eq = part.indexOf('=');
            String k = eq < 0 ? part : part.substring(0, eq);
            String v = eq < 0 ? null : part.substring(eq + 1);
            switch (k) {
                case "type", "source", "src", "target", "destination", "dst", "tmpfs-size", "tmpfs-mode", "bind-propagation" -> {
                    if (v == null || v.isEmpty()) {
                        throw new BerthException(ErrorCode.MOUNT_ARGUMENT_MISSING, k);
                    }
                    kv.put(canonical(k), v);
                }
                case "ro", "readonly", "rw" -> {
                    if (flags.contains("ro") || flags.contains("rw")) {
                        throw new BerthException(ErrorCode.MOUNT_ARGUMENT_MISSING,
                                "cannot pass 'readonly', 'ro', or 'rw' options more than once");
                    }
                    boolean on = v == null || v.equals("true");
                    if (v != null && !v.equals("true") && !v.equals("false")) {
                        throw new BerthException(ErrorCode.MOUNT_ARGUMENT_MISSING, "'readonly', 'ro', or 'rw' must be set to true or false,"
                                + " instead received \"" + v + "\"");
                    }
                    flags.add(k.equals("rw") == on ? "rw" : "ro");
                }
                case "nosuid", "suid", "nodev", "dev", "noexec", "exec", "z", "Z", "U", "nocopy", "copy" -> flags.add(k);
                case "relabel" -> flags.add("shared".equals(v) ? "z" : "Z");
                case "" -> throw new BerthException(ErrorCode.INVALID_ARGUMENT, INVALID_SYNTAX);
                default -> throw new BerthException(ErrorCode.MOUNT_OPTION_INVALID, k);
            }
        }
        String type = kv.get("type");
        if (type == null) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, INVALID_SYNTAX);
        }
        String target = kv.get("target");
        if (target == null) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "must set volume destination");
        }
        requireAbsolute(target, spec);
        String source = kv.get("source");
        switch (type) {
            case "bind" -> {
                if (source == null) {
                    throw new BerthException(ErrorCode.MOUNT_ARGUMENT_MISSING, "source");
                }
                if (kv.containsKey("bind-propagation")) {
                    flags.add(kv.get("bind-propagation"));
                }
                return new Pending(new MountSpec("bind", Path.of(source).toAbsolutePath().normalize().toString(), target, flags), null);
            }
            case "volume" -> {
                return new Pending(new MountSpec(TYPE, "", target, flags), source == null ? "" : source);
            }
            case "tmpfs" -> {
                if (source != null) {
                    throw new BerthException(ErrorCode.INVALID_ARGUMENT, "source is not supported with tmpfs mounts");
                }
                List<String> opts = new ArrayList<>(flags.contains("ro") ? List.of("ro") : List.of("rw"));
                opts.addAll(List.of("noexec", "nosuid", "nodev"));
                if (kv.containsKey("tmpfs-size")) {
                    opts.add("size=" + kv.get("tmpfs-size"));
                }
                if (kv.containsKey("tmpfs-mode")) {
                    opts.add("mode=" + kv.get("tmpfs-mode"));
                }
                return new Pending(new MountSpec("tmpfs", "tmpfs", target, opts), null);
            }
            default -> throw new BerthException(ErrorCode.INVALID_ARGUMENT, "invalid filesystem type \"" + type + "\"");
        }
    }

    private static String canonical(String key) {
        return switch (key) {
            case "src" -> "source";
            case "destination", "dst" -> "target";
            default -> key;
        };
    }

    /** {@code --volumes-from CTR[:ro|rw]}: CTR's volume and bind mounts, read-only or read-write when asked. */
    private List<MountSpec> fromContainer(String spec) {
        int colon = spec.lastIndexOf(':');
        String name = spec;
        String mode = null;
        if (colon > 0) {
            name = spec.substring(0, colon);
            mode = spec.substring(colon + 1);
            if (!mode.equals("ro") && !mode.equals("rw") && !mode.equals("z")) {
                throw new BerthException(ErrorCode.INVALID_ARGUMENT, "invalid options " + mode + ", can only specify 'ro', 'rw', and 'z'");
            }
        }
        Container c = ctx.state().lookupContainer(name);
        List<MountSpec> out = new ArrayList<>();
        for (MountSpec m : c.config().mounts()) {
            if (m.type().equals("tmpfs")) {
                continue;
            }
            List<String> opts = new ArrayList<>(m.options());
            if (mode != null && !mode.equals("z")) {
                opts.removeIf(o -> o.equals("ro") || o.equals("rw"));
                opts.add(mode);
            }
            out.add(new MountSpec(m.type(), m.source(), m.destination(), opts));
        }
        return out;
    }

    /** The OCI options of a bind or volume mount: podman's defaults, and the user's exec/suid/dev and propagation choices. */
    public static List<String> ociOptions(MountSpec m) {
        List<String> opts = new ArrayList<>(List.of(m.options().contains("bind") ? "bind" : "rbind"));
        String propagation = "rprivate";
        for (String p : List.of("private", "rprivate", "shared", "rshared", "slave", "rslave", "unbindable", "runbindable")) {
            if (m.options().contains(p)) {
                propagation = p;
            }
        }
        opts.add(propagation);
        opts.add(m.readOnly() ? "ro" : "rw");
        opts.add(m.options().contains("suid") ? "suid" : "nosuid");
        opts.add(m.options().contains("dev") ? "dev" : "nodev");
        if (m.options().contains("noexec")) {
            opts.add("noexec");
        }
        return opts;
    }
}
