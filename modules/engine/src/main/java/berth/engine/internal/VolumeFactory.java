package berth.engine.internal;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.model.Volume;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Makes volumes: {@code volume create}, and {@code run -v NAME:/dir} for a volume that does not exist yet. */
final class VolumeFactory {
    /** podman's volume name rule (libpod/define: NameRegex). */
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]*");
    private static final List<String> LOCAL_OPTIONS = List.of("type", "device", "o", "uid", "gid", "nocopy", "size", "inodes");

    private final EngineContext ctx;

    VolumeFactory(EngineContext ctx) {
        this.ctx = ctx;
    }

    static Path volumesDir(EngineContext ctx) {
        return ctx.config().volumePath();
    }

    /**
     * {@code volume create}: an empty name makes an anonymous-style 64-hex name. The directory is
     * made before the record; a refused record (the name is taken) takes a new directory with it.
     */
    Volume create(String name, String driver, Map<String, String> options, Map<String, String> labels, boolean anonymous) {
        String n = name == null || name.isEmpty() ? Ids.newId() : name;
        if (!NAME.matcher(n).matches()) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "volume name \"" + n
                    + "\" must match the regex \"[a-zA-Z0-9][a-zA-Z0-9_.-]*\"");
        }
        if (driver != null && !driver.isEmpty() && !driver.equals(Volume.LOCAL)) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "volume plugin " + driver + " not found: no such volume plugin");
        }
        Map<String, String> opts = checkOptions(options == null ? Map.of() : options);
        if (ctx.state().findVolume(n).isPresent()) {
            throw new BerthException(ErrorCode.VOLUME_EXISTS, "volume with name " + n + " already exists");
        }
        Path dir = volumesDir(ctx).resolve(n);
        Path data = dir.resolve("_data");
        boolean made = !Files.exists(dir);
        try {
            Files.createDirectories(data);
            Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        } catch (IOException e) {
            throw new BerthException(ErrorCode.INTERNAL, "creating volume directory " + data + ": " + e.getMessage(), e);
        }
        Volume v = new Volume(n, Volume.LOCAL, data.toString(), labels, opts, Instant.now(), anonymous, true,
                intOption(opts, "uid"), intOption(opts, "gid"));
        try {
            ctx.state().addVolume(v);
            ctx.events().volume(v.name(), berth.engine.events.EventStatus.CREATE);
        } catch (RuntimeException e) {
            if (made) {
                deleteQuietly(dir);
            }
            throw e;
        }
        return v;
    }

    /** The local driver's options, checked as podman checks them (a bind device must exist). */
    private static Map<String, String> checkOptions(Map<String, String> options) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : options.entrySet()) {
            if (!LOCAL_OPTIONS.contains(e.getKey())) {
                throw new BerthException(ErrorCode.INVALID_ARGUMENT, "invalid mount option " + e.getKey() + " for driver 'local'");
            }
            out.put(e.getKey(), e.getValue());
        }
        String type = out.get("type");
        String device = out.get("device");
        boolean bind = "none".equals(type) || "bind".equals(type) || (out.getOrDefault("o", "").contains("bind"));
        if (bind && device != null && !Files.exists(Path.of(device))) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "invalid volume option device for driver 'local': stat "
                    + device + ": no such file or directory");
        }
        if (type != null && device == null) {
            // podman's local driver mounts DEVICE as TYPE; a tmpfs needs no real device
            if (!type.equals("tmpfs")) {
                throw new BerthException(ErrorCode.INVALID_ARGUMENT, "invalid volume option type " + type
                        + " for driver 'local': a device must be given with -o device=");
            }
            out.put("device", "tmpfs");
        }
        for (String k : List.of("uid", "gid")) {
            if (out.containsKey(k)) {
                try {
                    Integer.parseInt(out.get(k));
                } catch (NumberFormatException ex) {
                    throw new BerthException(ErrorCode.INVALID_ARGUMENT, "cannot convert " + k + " " + out.get(k) + " to integer");
                }
            }
        }
        return out;
    }

    private static int intOption(Map<String, String> opts, String key) {
        String v = opts.get(key);
        return v == null ? 0 : Integer.parseInt(v);
    }

    private void deleteQuietly(Path dir) {
        try {
            berth.support.FileTrees.delete(dir);
        } catch (BerthException e) {
            ctx.warnings().accept(e.getMessage());
        }
    }
}
