package berth.engine.internal;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.json.Json;
import berth.kernel.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A seccomp profile in containers-common's format (seccomp.json: defaultAction, defaultErrnoRet,
 * archMap, syscalls with includes/excludes) translated into the OCI spec's {@code linux.seccomp} the
 * way containers/common's pkg/seccomp does for podman 4.3.1: the native architecture and its
 * sub-architectures from archMap; a rule kept only when its arches and capabilities (checked
 * against the container's bounding set) and its minimum kernel match; errno names resolved; fields
 * podman leaves out (comments, includes) dropped, so the result equals podman's field by field.
 */
final class SeccompProfiles {
    /** libseccomp's native architecture names for Java's os.arch. */
    private static final Map<String, String> NATIVE = Map.of("amd64", "amd64", "x86_64", "amd64", "aarch64", "arm64",
            "s390x", "s390x", "ppc64le", "ppc64le", "riscv64", "riscv64", "x86", "x86", "i386", "x86", "arm", "arm");
    /** archMap entries containers/common matches, by native architecture (its nativeToSeccomp). */
    private static final Map<String, String> SCMP_ARCH = Map.of("amd64", "SCMP_ARCH_X86_64", "arm64", "SCMP_ARCH_AARCH64",
            "s390x", "SCMP_ARCH_S390X");
    /** Linux's generic errno numbers (the names profiles use). */
    private static final Map<String, Long> ERRNO = errnos();

    private SeccompProfiles() {
    }

    /** The host's architecture as libseccomp names it ({@code amd64}). */
    static String nativeArch() {
        String a = System.getProperty("os.arch", "");
        return NATIVE.getOrDefault(a, a);
    }

    /** The running kernel's release ({@code 6.1.0-18-amd64}). */
    static String kernelRelease() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip();
        } catch (IOException e) {
            return "";
        }
    }

    /** Reads and translates {@code profile}; INVALID_ARGUMENT names the file and the cause. */
    static Map<String, Object> load(Path profile, List<String> bounding, String arch, String kernel) {
        JsonObject p;
        try {
            p = Json.parseObject(Files.readAllBytes(profile));
        } catch (java.nio.file.NoSuchFileException e) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "opening seccomp profile " + profile + " failed: no such file", e);
        } catch (IOException e) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "opening seccomp profile " + profile + " failed: " + e.getMessage(), e);
        }
        try {
            return translate(p, bounding, arch, kernel);
        } catch (IllegalArgumentException e) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "loading seccomp profile (" + profile + ") failed: " + e.getMessage(), e);
        }
    }

    /** The spec's linux.seccomp for profile {@code p}; null when it has neither a default action nor rules (seccomp off). */
    static Map<String, Object> translate(JsonObject p, List<String> bounding, String arch, String kernel) {
        List<JsonObject> rules = p.objects("syscalls");
        String defaultAction = p.str("defaultAction", "");
        if (defaultAction.isEmpty() && rules.isEmpty()) {
            return null;
        }
        List<String> archs = p.strings("architectures");
        List<JsonObject> archMap = p.objects("archMap");
        if (!archs.isEmpty() && !archMap.isEmpty()) {
            throw new IllegalArgumentException("'architectures' and 'archMap' were specified in the seccomp profile, use either"
                    + " 'architectures' or 'archMap'");
        }
        List<String> architectures = new ArrayList<>(archs);
        String scmpArch = SCMP_ARCH.get(arch);
        for (JsonObject a : archMap) {
            if (scmpArch != null && scmpArch.equals(a.str("architecture"))) {
                architectures.add(scmpArch);
                architectures.addAll(a.strings("subArchitectures"));
                break;
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("defaultAction", defaultAction);
        Long defaultErrno = errno(p.str("defaultErrno", ""), p.raw("defaultErrnoRet"));
        if (defaultErrno != null) {
            out.put("defaultErrnoRet", defaultErrno);
        }
        if (!architectures.isEmpty()) {
            out.put("architectures", architectures);
        }
        List<String> flags = p.strings("flags");
        if (!flags.isEmpty()) {
            out.put("flags", flags);
        }
        putIfNotEmpty(out, "listenerPath", p.str("listenerPath", ""));
        putIfNotEmpty(out, "listenerMetadata", p.str("listenerMetadata", ""));
        List<Object> syscalls = new ArrayList<>();
        for (JsonObject rule : rules) {
            if (!applies(rule, bounding, arch, kernel)) {
                continue;
            }
            String name = rule.str("name", "");
            List<String> names = rule.strings("names");
            if (!name.isEmpty() && !names.isEmpty()) {
                throw new IllegalArgumentException("'name' and 'names' were specified in the seccomp profile, use either 'name' or 'names'");
            }
            Long errno = errno(rule.str("errno", ""), rule.raw("errnoRet"));
            if (!name.isEmpty()) {
                syscalls.add(syscall(List.of(name), rule, errno));
            }
            if (!names.isEmpty()) {
                syscalls.add(syscall(names, rule, errno));
            }
        }
        if (!syscalls.isEmpty()) {
            out.put("syscalls", syscalls);
        }
        return out;
    }

    /** containers/common's filter: excludes first (arches, then any excluded capability held), then includes. */
    private static boolean applies(JsonObject rule, List<String> bounding, String arch, String kernel) {
        JsonObject ex = rule.obj("excludes");
        if (ex != null) {
            if (ex.strings("arches").contains(arch)) {
                return false;
            }
            for (String c : ex.strings("caps")) {
                if (bounding.contains(c)) {
                    return false;
                }
            }
        }
        JsonObject in = rule.obj("includes");
        if (in != null) {
            List<String> arches = in.strings("arches");
            if (!arches.isEmpty() && !arches.contains(arch)) {
                return false;
            }
            for (String c : in.strings("caps")) {
                if (!bounding.contains(c)) {
                    return false;
                }
            }
            String minKernel = in.str("minKernel", "");
            if (!minKernel.isEmpty() && compareKernel(kernel, minKernel) < 0) {
                return false;
            }
        }
        return true;
    }

    private static Map<String, Object> syscall(List<String> names, JsonObject rule, Long errno) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("names", names);
        s.put("action", rule.str("action", ""));
        if (errno != null) {
            s.put("errnoRet", errno);
        }
        List<Object> args = new ArrayList<>();
        for (JsonObject a : rule.objects("args")) {
            Map<String, Object> arg = new LinkedHashMap<>();
            arg.put("index", a.lng("index", 0));
            arg.put("value", a.lng("value", 0));
            long two = a.lng("valueTwo", 0);
            if (two != 0) {
                arg.put("valueTwo", two);
            }
            arg.put("op", a.str("op", ""));
            args.add(arg);
        }
        if (!args.isEmpty()) {
            s.put("args", args);
        }
        return s;
    }

    /** containers/common's getErrno: a name or number in {@code errno} wins over {@code errnoRet}. */
    private static Long errno(String errno, Object errnoRet) {
        if (errno.isEmpty()) {
            return errnoRet instanceof Number n ? n.longValue() : null;
        }
        try {
            return Long.parseLong(errno);
        } catch (NumberFormatException e) {
            Long v = ERRNO.get(errno);
            if (v == null) {
                throw new IllegalArgumentException("unknown errno " + errno);
            }
            return v;
        }
    }

    /** Compares kernel versions by their leading numbers ({@code 6.1.0-18-amd64} against {@code 5.8}). */
    static int compareKernel(String running, String min) {
        int[] a = versionNumbers(running);
        int[] b = versionNumbers(min);
        for (int i = 0; i < 3; i++) {
            if (a[i] != b[i]) {
                return Integer.compare(a[i], b[i]);
            }
        }
        return 0;
    }

    private static int[] versionNumbers(String v) {
        int[] out = new int[3];
        int part = 0;
        int i = 0;
        while (part < 3 && i < v.length()) {
            int start = i;
            while (i < v.length() && Character.isDigit(v.charAt(i))) {
                i++;
            }
            if (i == start) {
                break;
            }
            out[part++] = Integer.parseInt(v.substring(start, i));
            if (i < v.length() && v.charAt(i) == '.') {
                i++;
            } else {
                break;
            }
        }
        return out;
    }

    private static void putIfNotEmpty(Map<String, Object> m, String k, String v) {
        if (!v.isEmpty()) {
            m.put(k, v);
        }
    }

    private static Map<String, Long> errnos() {
        String[] names = {"EPERM", "ENOENT", "ESRCH", "EINTR", "EIO", "ENXIO", "E2BIG", "ENOEXEC", "EBADF", "ECHILD", "EAGAIN",
            "ENOMEM", "EACCES", "EFAULT", "ENOTBLK", "EBUSY", "EEXIST", "EXDEV", "ENODEV", "ENOTDIR", "EISDIR", "EINVAL", "ENFILE",
            "EMFILE", "ENOTTY", "ETXTBSY", "EFBIG", "ENOSPC", "ESPIPE", "EROFS", "EMLINK", "EPIPE", "EDOM", "ERANGE", "EDEADLK",
            "ENAMETOOLONG", "ENOLCK", "ENOSYS"};
        Map<String, Long> m = new LinkedHashMap<>();
        for (int i = 0; i < names.length; i++) {
            m.put(names[i], (long) i + 1);
        }
        m.put("EWOULDBLOCK", 11L);
        m.put("EOPNOTSUPP", 95L);
        m.put("ENOTSUP", 95L);
        m.put("EAFNOSUPPORT", 97L);
        m.put("EPROTONOSUPPORT", 93L);
        return m;
    }
}
