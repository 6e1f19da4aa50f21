package berth.cli.template;

import java.util.List;

/**
 * A compiled Go text/template: parse once, execute on many values. Data may be Maps (a missing key
 * prints "&lt;no value&gt;"), Lists, arrays, records and beans ({@code .Name} reads the component
 * or getter; an unknown one is an error), Strings, numbers and Booleans.
 *
 * <pre>{@code
 * Template t = Template.parse("ps", "{{.ID}} {{join .Names \",\"}}\n");
 * String line = t.execute(row);
 * }</pre>
 *
 * <p>Immutable and safe to share between threads; each execution has its own state.
 */
public final class Template {
    private final ErrorContext ctx;
    private final List<Node> nodes;
    private final boolean missingKeyIsError;

    private Template(ErrorContext ctx, List<Node> nodes, boolean missingKeyIsError) {
        this.ctx = ctx;
        this.nodes = nodes;
        this.missingKeyIsError = missingKeyIsError;
    }

    /** Parses text as a template called {@code name} (the name appears in error messages, as in Go). */
    public static Template parse(String name, String text) throws TemplateException {
        ErrorContext ctx = new ErrorContext(name, text);
        return new Template(ctx, Parser.parse(text, ctx, Functions.STANDARD), false);
    }

    /** Go's Option("missingkey=error"): a missing map key is an error instead of "&lt;no value&gt;". */
    public Template withMissingKeyError() {
        return new Template(ctx, nodes, true);
    }

    public String name() {
        return ctx.name();
    }

    /** Executes on data and returns the output; on error, the output so far is lost. */
    public String execute(Object data) throws TemplateException {
        StringBuilder sb = new StringBuilder(64);
        execute(data, sb);
        return sb.toString();
    }

    /** Executes on data, appending to out; on error, out keeps what was written before it, as Go's writer does. */
    public void execute(Object data, StringBuilder out) throws TemplateException {
        new Evaluator(ctx, Functions.STANDARD, missingKeyIsError, out).execute(nodes, data);
    }
}
