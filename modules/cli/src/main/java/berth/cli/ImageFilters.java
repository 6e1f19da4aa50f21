package berth.cli;

import berth.engine.Images;
import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.model.ImageInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code images --filter} with podman's keys: dangling, reference (a glob over names), label
 * (KEY or KEY=VALUE), id, before and since (another image). Different keys must all match; values
 * of one key match if any does, as podman combines them. A positional IMAGE is a reference filter.
 */
final class ImageFilters {
    private ImageFilters() {
    }

    static List<ImageInfo> apply(Images images, List<ImageInfo> all, List<String> filters, List<String> references) {
        List<ImageInfo> out = new ArrayList<>();
        for (ImageInfo i : all) {
            if (matchesAll(images, i, filters) && (references.isEmpty() || references.stream().anyMatch(r -> reference(i, r)))) {
                out.add(i);
            }
        }
        return out;
    }

    private static boolean matchesAll(Images images, ImageInfo i, List<String> filters) {
        java.util.Map<String, List<String>> byKey = new java.util.LinkedHashMap<>();
        for (String f : filters) {
            int eq = f.indexOf('=');
            if (eq <= 0) {
                throw new BerthException(ErrorCode.INVALID_ARGUMENT, "invalid image filter \"" + f + "\": use KEY=VALUE");
            }
            byKey.computeIfAbsent(f.substring(0, eq), k -> new ArrayList<>()).add(f.substring(eq + 1));
        }
        for (var e : byKey.entrySet()) {
            boolean any = false;
            for (String v : e.getValue()) {
                any |= matches(images, i, e.getKey(), v);
            }
            if (!any) {
                return false;
            }
        }
        return true;
    }

    private static boolean matches(Images images, ImageInfo i, String key, String v) {
        switch (key) {
            case "dangling":
                return i.dangling() == Boolean.parseBoolean(v);
            case "reference":
                return reference(i, v);
            case "label": {
                int eq = v.indexOf('=');
                String k = eq < 0 ? v : v.substring(0, eq);
                String val = i.config().labels().get(k);
                return val != null && (eq < 0 || val.equals(v.substring(eq + 1)));
            }
            case "id":
                return i.id().startsWith(v.startsWith("sha256:") ? v.substring(7) : v);
            case "before":
            case "since": {
                ImageInfo other = images.get(v);
                if (i.created() == null || other.created() == null) {
                    return false;
                }
                return key.equals("before") ? i.created().isBefore(other.created()) : i.created().isAfter(other.created());
            }
            case "readonly":
                return !Boolean.parseBoolean(v);
            default:
                throw new BerthException(ErrorCode.INVALID_ARGUMENT, "invalid image filter \"" + key
                        + "\": use dangling, reference, label, id, before, since or readonly");
        }
    }

    /** A name matches a reference glob in full, or by its familiar form (no docker.io/library/, no registry). */
    static boolean reference(ImageInfo i, String pattern) {
        Pattern p = glob(pattern.contains(":") || pattern.contains("*") ? pattern : pattern + ":*");
        for (String n : i.names()) {
            String noRegistry = n.contains("/") ? n.substring(n.indexOf('/') + 1) : n;
            String familiar = noRegistry.startsWith("library/") ? noRegistry.substring(8) : noRegistry;
            if (p.matcher(n).matches() || p.matcher(noRegistry).matches() || p.matcher(familiar).matches()) {
                return true;
            }
        }
        return i.id().startsWith(pattern);
    }

    private static Pattern glob(String g) {
        StringBuilder sb = new StringBuilder();
        for (char c : g.toCharArray()) {
            switch (c) {
                case '*' -> sb.append("[^/]*");
                case '?' -> sb.append("[^/]");
                default -> sb.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(sb.toString());
    }
}
