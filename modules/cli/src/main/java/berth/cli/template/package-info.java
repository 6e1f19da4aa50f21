/**
 * Go's text/template as podman uses it for {@code --format}, shared by every command that prints
 * a report (ps, images, inspect, info, volume ls, events ...).
 *
 * <p>Entry points: {@link berth.cli.template.Report} for a command's {@code --format} with
 * podman's rules (json, "table" with headers and tabwriter alignment, escapes, the implied range
 * and newline); {@link berth.cli.template.Template} for the language alone (parse once, execute
 * many); {@link berth.cli.template.TemplateException} for both, worded as Go words it.
 *
 * <p>The language: text and actions with trim markers and comments; fields on maps, records and
 * beans; {@code $} and variables ({@code :=}, {@code =}); pipelines; parenthesised pipelines and
 * field chains on them; if / else if / else, range (lists, arrays, maps in key order; one or two
 * variables; else; break; continue), with / else; Go's constants (strings with escapes, raw
 * strings, runes, ints in any base, floats). Functions: and, or (lazy), not, len, index, slice,
 * eq, ne, lt, le, gt, ge, print, printf, println, html; podman's json, lower, upper, title, join,
 * split, truncate, pad; berth's contains and replace. Checked against Go 1.19's own output by
 * GoConformanceTest.
 *
 * <p>Not supported: define, template, block, call, js, urlquery, methods with arguments. Where berth
 * differs from Go on purpose: json keeps a map's own order (berth's maps stand for podman's
 * structs); join takes any list (Java lists carry no element type); truncate counts characters,
 * not bytes; %x of a float with a precision is not done.
 */
package berth.cli.template;
