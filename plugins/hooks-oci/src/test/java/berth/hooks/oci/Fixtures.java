package berth.hooks.oci;

import berth.kernel.json.Json;
import berth.kernel.model.ContainerConfig;
import berth.kernel.model.MountSpec;
import berth.kernel.spi.hook.HookContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Real files for the tests: executable scripts, hook files, container configs. */
final class Fixtures {
    private Fixtures() {
    }

    /** Writes an executable {@code /bin/sh} script. */
    static Path script(Path dir, String name, String body) {
        try {
            Files.createDirectories(dir);
            Path p = dir.resolve(name);
            Files.writeString(p, "#!/bin/sh\n" + body + "\n");
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path write(Path dir, String name, String text) {
        try {
            Files.createDirectories(dir);
            Path p = dir.resolve(name);
            Files.writeString(p, text);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A 1.0.0 hook document; {@code when} and {@code stages} as given. */
    static Map<String, Object> hook(Path path, Map<String, Object> when, String... stages) {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("path", path.toString());
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("version", "1.0.0");
        doc.put("hook", h);
        doc.put("when", when);
        doc.put("stages", List.of(stages));
        return doc;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> hookObject(Map<String, Object> doc) {
        return (Map<String, Object>) doc.get("hook");
    }

    static Path writeHook(Path dir, String name, Map<String, Object> doc) {
        return write(dir, name, Json.write(doc, true));
    }

    static Map<String, Object> always() {
        return Map.of("always", true);
    }

    static ContainerConfig.Builder container() {
        return ContainerConfig.builder().id("0123456789abcdef0123456789abcdef").name("c1").rootfs("/tmp/rootfs")
                .command(List.of("/bin/sh", "-c", "true"));
    }

    static ContainerConfig withBindMount(ContainerConfig.Builder b) {
        List<MountSpec> m = new ArrayList<>();
        m.add(MountSpec.parseVolume("/srv/data:/data:ro"));
        return b.mounts(m).build();
    }

    static HookContext context(ContainerConfig config, Path... dirs) {
        return new HookContext(config, List.of(dirs));
    }
}
