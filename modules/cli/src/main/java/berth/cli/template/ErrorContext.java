package berth.cli.template;

/** Turns an offset in the template text into Go's error prefixes ("template: NAME:LINE:COL: ..."). */
record ErrorContext(String name, String text) {
    TemplateException parseError(int pos, String message) {
        return new TemplateException("template: " + name + ":" + line(pos) + ": " + message, line(pos), column(pos));
    }

    TemplateException execError(int pos, String node, String message) {
        return new TemplateException("template: " + name + ":" + line(pos) + ":" + column(pos) + ": executing \"" + name + "\" at <"
                + node + ">: " + message, line(pos), column(pos));
    }

    int line(int pos) {
        int line = 1;
        for (int i = 0; i < Math.min(pos, text.length()); i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    int column(int pos) {
        int nl = text.lastIndexOf('\n', Math.max(0, Math.min(pos, text.length()) - 1));
        return nl < 0 ? pos : pos - nl - 1;
    }
}
