package berth.cli.template;

import java.util.ArrayList;
import java.util.List;

/**
 * Go's text/tabwriter, as podman's reports configure it (min width 12, padding 2, padded with
 * spaces): tab-terminated cells of consecutive lines form a column as wide as its widest cell plus
 * the padding; a line's last cell (not tab-terminated) does not count. Widths are in code points,
 * as Go counts runes.
 */
final class TabWriter {
    static final int MIN_WIDTH = 12;
    static final int PADDING = 2;

    private final int minWidth;
    private final int padding;
    private final List<String[]> lines = new ArrayList<>();
    private final List<Integer> widths = new ArrayList<>();
    private final StringBuilder out;

    private TabWriter(int minWidth, int padding, StringBuilder out) {
        this.minWidth = minWidth;
        this.padding = padding;
        this.out = out;
    }

    /** Aligns text with podman's settings. */
    static String align(CharSequence text) {
        return align(text, MIN_WIDTH, PADDING);
    }

    static String align(CharSequence text, int minWidth, int padding) {
        StringBuilder out = new StringBuilder(text.length() + text.length() / 2);
        TabWriter w = new TabWriter(minWidth, padding, out);
        w.split(text);
        w.format(0, w.lines.size());
        return out.toString();
    }

    private void split(CharSequence text) {
        List<String> cells = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\t' || c == '\u000b') {
                cells.add(text.subSequence(start, i).toString());
                start = i + 1;
            } else if (c == '\n' || c == '\f') {
                cells.add(text.subSequence(start, i).toString());
                lines.add(cells.toArray(new String[0]));
                cells.clear();
                start = i + 1;
            }
        }
        cells.add(text.subSequence(start, text.length()).toString());
        lines.add(cells.toArray(new String[0])); // the text after the last newline: printed without one
    }

    /** Go's Writer.format: finds the column blocks left to right, recursively. */
    private void format(int line0, int line1) {
        int column = widths.size();
        for (int line = line0; line < line1; line++) {
            if (column >= lines.get(line).length - 1) {
                continue;
            }
            // a cell in this column: this line starts a block, the lines before it are done
            writeLines(line0, line);
            line0 = line;
            int width = minWidth;
            for (; line < line1; line++) {
                String[] cells = lines.get(line);
                if (column >= cells.length - 1) {
                    break;
                }
                width = Math.max(width, runes(cells[column]) + padding);
            }
            widths.add(width);
            format(line0, line);
            widths.remove(widths.size() - 1);
            line0 = line;
        }
        writeLines(line0, line1);
    }

    private void writeLines(int line0, int line1) {
        for (int i = line0; i < line1; i++) {
            String[] cells = lines.get(i);
            for (int j = 0; j < cells.length; j++) {
                out.append(cells[j]);
                if (j < widths.size()) {
                    for (int k = runes(cells[j]); k < widths.get(j); k++) {
                        out.append(' ');
                    }
                }
            }
            if (i + 1 < lines.size()) {
                out.append('\n');
            }
        }
    }

    private static int runes(String s) {
        return s.codePointCount(0, s.length());
    }
}
