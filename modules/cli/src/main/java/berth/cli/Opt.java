package berth.cli;

import java.util.List;

/**
 * One flag of a command: its names ({@code -e}, {@code --env}), whether it takes a value, and its help.
 */
record Opt(List<String> names, boolean takesValue, String label, String help) {
    static Opt flag(String names, String help) {
        return new Opt(List.of(names.split(",")), false, null, help);
    }

    static Opt value(String names, String label, String help) {
        return new Opt(List.of(names.split(",")), true, label, help);
    }

    String key() {
        return names.get(names.size() - 1).replaceFirst("^-+", "");
    }
}
