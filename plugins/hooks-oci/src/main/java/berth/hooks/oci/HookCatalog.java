package berth.hooks.oci;

import berth.kernel.json.Json;
import berth.kernel.spi.hook.HookStage;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads and validates the hook files of a list of hooks directories (oci-hooks(5), schema 1.0.0).
 * Directories are in increasing preference, as podman's {@code hooks.New}: a file masks a file of
 * the same name read from an earlier directory. Invalid files are reported and skipped.
 */
final class HookCatalog {
    /** The schema version this reader understands. */
    static final String VERSION = "1.0.0";

    /** podman's hooks.DefaultDir and hooks.OverrideDir, in increasing preference. */
    static final List<Path> DEFAULT_DIRS = List.of(
            Path.of("/usr/share/containers/oci/hooks.d"),
            Path.of("/etc/containers/oci/hooks.d"));

    /** Hook files are a few hundred bytes; this bounds what a mistaken file (say a link to a device) can cost. */
    static final long MAX_FILE_BYTES = 1L << 20;

    private static final String STAGE_NAMES = stageNames();

    /** The {@code when} properties, lower-cased (keys match ignoring case, as in Go's encoding/json). */
    private static final Set<String> WHEN_KEYS = Set.of("always", "annotations", "commands", "hasbindmounts");

    /** Sorts as podman: by file name lower-cased, by Unicode code point; ties by the name itself. */
    static final Comparator<HookDefinition> ORDER = (a, b) -> {
        int c = compareCodePoints(lower(a.fileName()), lower(b.fileName()));
        return c != 0 ? c : compareCodePoints(a.fileName(), b.fileName());
    };

    /** What was read: the valid hooks in injection order, and the problems found. */
    record Loaded(List<HookDefinition> hooks, List<HookProblem> problems) {
        Loaded {
            hooks = List.copyOf(hooks);
            problems = List.copyOf(problems);
        }
    }

    private HookCatalog() {
    }

    /** The directories in force: the given ones, or the defaults when none are given. */
    static List<Path> effectiveDirs(List<Path> configured) {
        return configured.isEmpty() ? DEFAULT_DIRS : configured;
    }

    static Loaded load(List<Path> configuredDirs) {
        Map<String, HookDefinition> byName = new HashMap<>();
        List<HookProblem> problems = new ArrayList<>();
        for (Path dir : effectiveDirs(configuredDirs)) {
            readDir(dir, byName, problems);
        }
        List<HookDefinition> hooks = new ArrayList<>(byName.values());
        hooks.sort(ORDER);
        return new Loaded(hooks, problems);
    }

    private static void readDir(Path dir, Map<String, HookDefinition> byName, List<HookProblem> problems) {
        if (!Files.exists(dir)) {
            return; // as podman: a missing hooks directory is no error
        }
        if (!Files.isDirectory(dir)) {
            problems.add(HookProblem.ofDirectory(dir, "not a directory"));
            return;
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "*.json")) {
            for (Path p : entries) {
                files.add(p);
            }
        } catch (IOException | RuntimeException e) {
            problems.add(HookProblem.ofDirectory(dir, "cannot be read: " + e));
            return;
        }
        files.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString())); // reports in a stable order
        for (Path file : files) {
            if (!Files.exists(file)) {
                continue; // a dangling link, or removed since listing: podman skips these too
            }
            List<HookProblem> fileProblems = new ArrayList<>();
            HookDefinition def = readFile(file, fileProblems);
            if (def != null) {
                byName.put(file.getFileName().toString(), def);
            } else {
                // As podman: an invalid file does not mask a valid one of the same name in an earlier directory.
                problems.addAll(fileProblems);
            }
        }
    }

    /** Reads one hook file; returns null, with the reasons in {@code problems}, when it is not valid. */
    static HookDefinition readFile(Path file, List<HookProblem> problems) {
        byte[] bytes;
        try {
            if (!Files.isRegularFile(file)) {
                problems.add(HookProblem.ofFile(file, null, "not a regular file"));
                return null;
            }
            if (Files.size(file) > MAX_FILE_BYTES) {
                problems.add(HookProblem.ofFile(file, null, "larger than " + MAX_FILE_BYTES + " bytes"));
                return null;
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            problems.add(HookProblem.ofFile(file, null, "cannot be read: " + e));
            return null;
        }
        Object doc;
        try {
            doc = Json.parse(bytes);
        } catch (Json.MalformedJsonException e) {
            problems.add(HookProblem.ofFile(file, null, "malformed JSON: " + firstLine(e.getMessage())));
            return null;
        }
        if (!(doc instanceof Map)) {
            problems.add(HookProblem.ofFile(file, null, "malformed hook: the document must be a JSON object"));
            return null;
        }
        return new Parser(file, problems).parse(asMap(doc));
    }

    /** Validates one parsed document, recording every problem found. */
    private static final class Parser {
        private final Path file;
        private final List<HookProblem> problems;
        private boolean failed;

        Parser(Path file, List<HookProblem> problems) {
            this.file = file;
            this.problems = problems;
        }

        private void problem(String field, String message) {
            problems.add(HookProblem.ofFile(file, field, message));
            failed = true;
        }

        HookDefinition parse(Map<String, Object> doc) {
            Object version = field(doc, "version");
            if (version == null) {
                problem("version", "missing required property (only hook schema " + VERSION
                        + " is supported; the 0.1.0 schema is not)");
                return null;
            }
            if (!VERSION.equals(version)) {
                problem("version", "unsupported hook version " + quote(version) + " (expecting \"" + VERSION + "\")");
                return null;
            }

            String path = null;
            List<String> args = List.of();
            List<String> env = List.of();
            int timeout = 0;
            Object hook = field(doc, "hook");
            if (hook == null) {
                problem("hook", "missing required object");
            } else if (!(hook instanceof Map)) {
                problem("hook", "must be an object");
            } else {
                Map<String, Object> h = asMap(hook);
                path = hookPath(field(h, "path"));
                args = strings(field(h, "args"), "hook.args");
                env = strings(field(h, "env"), "hook.env");
                for (int i = 0; i < env.size(); i++) {
                    String e = env.get(i);
                    int eq = e.indexOf('=');
                    if (eq <= 0) {
                        problem("hook.env[" + i + "]", quote(e) + " is not of the form KEY=VALUE");
                    }
                }
                timeout = timeout(field(h, "timeout"));
            }

            HookConditions when = null;
            Object w = field(doc, "when");
            if (w == null) {
                problem("when", "missing required object");
            } else if (!(w instanceof Map)) {
                problem("when", "must be an object");
            } else {
                when = when(asMap(w));
            }

            List<HookStage> stages = stages(field(doc, "stages"));

            if (failed) {
                return null;
            }
            return new HookDefinition(file.getFileName().toString(), file, path, args, env, timeout, when, stages);
        }

        private String hookPath(Object v) {
            if (v == null || "".equals(v)) {
                problem("hook.path", "missing required property");
                return null;
            }
            if (!(v instanceof String)) {
                problem("hook.path", "must be a string");
                return null;
            }
            String s = (String) v;
            if (s.indexOf('\0') >= 0) {
                problem("hook.path", "contains a NUL character");
                return null;
            }
            Path p = Path.of(s);
            if (!p.isAbsolute()) {
                problem("hook.path", quote(s) + " is not an absolute path");
            } else if (!Files.exists(p)) {
                problem("hook.path", quote(s) + " does not exist");
            } else if (Files.isDirectory(p)) {
                problem("hook.path", quote(s) + " is a directory");
            } else if (!Files.isExecutable(p)) {
                problem("hook.path", quote(s) + " is not executable");
            }
            return s;
        }

        private int timeout(Object v) {
            if (v == null) {
                return 0;
            }
            if (v instanceof Long && (Long) v > 0 && (Long) v <= Integer.MAX_VALUE) {
                return (int) (long) (Long) v;
            }
            problem("hook.timeout", "must be a positive whole number of seconds, got " + Json.write(v));
            return 0;
        }

        private HookConditions when(Map<String, Object> w) {
            for (String key : w.keySet()) {
                if (!WHEN_KEYS.contains(key.toLowerCase(Locale.ROOT))) {
                    problem("when." + key, "unknown condition (expected always, annotations, commands or hasBindMounts)");
                }
            }
            Boolean always = bool(field(w, "always"), "when.always");
            Boolean hasBindMounts = bool(field(w, "hasBindMounts"), "when.hasBindMounts");

            List<HookConditions.AnnotationRule> annotations = new ArrayList<>();
            Object a = field(w, "annotations");
            if (a != null) {
                if (!(a instanceof Map)) {
                    problem("when.annotations", "must be an object mapping key regex to value regex");
                } else {
                    for (Map.Entry<String, Object> e : asMap(a).entrySet()) {
                        String where = "when.annotations[" + quote(e.getKey()) + "]";
                        Pattern key = regex(e.getKey(), where, "key regex");
                        Pattern value = null;
                        if (!(e.getValue() instanceof String)) {
                            problem(where, "the value regex must be a string");
                        } else {
                            value = regex((String) e.getValue(), where, "value regex");
                        }
                        if (key != null && value != null) {
                            annotations.add(new HookConditions.AnnotationRule(key, value));
                        }
                    }
                }
            }

            List<Pattern> commands = new ArrayList<>();
            List<String> cs = strings(field(w, "commands"), "when.commands");
            for (int i = 0; i < cs.size(); i++) {
                Pattern p = regex(cs.get(i), "when.commands[" + i + "]", "regex");
                if (p != null) {
                    commands.add(p);
                }
            }

            HookConditions when = new HookConditions(always, hasBindMounts, annotations, commands);
            if (!failed && !when.anySet()) {
                problem("when", "no condition set (at least one of always, annotations, commands, hasBindMounts is required)");
            }
            return when;
        }

        private List<HookStage> stages(Object v) {
            if (v == null) {
                problem("stages", "missing required property");
                return List.of();
            }
            List<String> names = strings(v, "stages");
            if (names.isEmpty()) {
                if (v instanceof List) {
                    problem("stages", "must name at least one stage");
                }
                return List.of();
            }
            List<HookStage> stages = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                String n = names.get(i);
                try {
                    stages.add(HookStage.fromSpecName(n));
                } catch (IllegalArgumentException e) {
                    problem("stages[" + i + "]", "unknown stage " + quote(n) + " (expected one of " + STAGE_NAMES + ")"
                            + ("precreate".equals(n) ? "; podman's precreate extension stage is not supported" : ""));
                }
            }
            return stages;
        }

        private Boolean bool(Object v, String field) {
            if (v == null || v instanceof Boolean) {
                return (Boolean) v;
            }
            problem(field, "must be a boolean");
            return null;
        }

        /** An optional array of strings; null is the empty list. */
        private List<String> strings(Object v, String field) {
            if (v == null) {
                return List.of();
            }
            if (v instanceof List) {
                List<String> out = new ArrayList<>();
                for (Object o : (List<?>) v) {
                    if (!(o instanceof String)) {
                        problem(field, "must be an array of strings");
                        return List.of();
                    }
                    out.add((String) o);
                }
                return out;
            }
            problem(field, "must be an array of strings");
            return List.of();
        }

        private Pattern regex(String re, String field, String what) {
            try {
                return Pattern.compile(re);
            } catch (PatternSyntaxException e) {
                problem(field, what + " " + quote(re) + " does not compile: " + e.getDescription());
                return null;
            }
        }
    }

    /**
     * A property by name: the exact key, else a key equal ignoring case (Go's encoding/json, which
     * podman reads hook files with, matches names that way).
     */
    static Object field(Map<String, Object> m, String name) {
        if (m.containsKey(name)) {
            return m.get(name);
        }
        for (Map.Entry<String, Object> e : m.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object o) {
        return (Map<String, Object>) o;
    }

    private static String quote(Object v) {
        return Json.write(v);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static String stageNames() {
        StringBuilder b = new StringBuilder();
        for (HookStage s : HookStage.values()) {
            if (b.length() > 0) {
                b.append(", ");
            }
            b.append(s.specName());
        }
        return b.toString();
    }

    /** Lower-cases per code point, as Go's strings.ToLower (no locale, no expansion). */
    static String lower(String s) {
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().map(Character::toLowerCase).forEach(b::appendCodePoint);
        return b.toString();
    }

    /** Compares by Unicode code point, as Go compares strings (String.compareTo compares UTF-16 units). */
    static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
