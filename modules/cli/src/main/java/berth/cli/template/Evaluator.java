package berth.cli.template;

import berth.cli.template.Node.Arg;
import berth.cli.template.Node.Command;
import berth.cli.template.Node.Pipeline;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Executes a parsed template on one data value, with Go's semantics: dot, variables and their
 * scopes, pipelines passing their value as the last argument, missing map keys as "no value",
 * unknown fields of a record as an error. One Evaluator serves one execution.
 */
final class Evaluator {
    private enum Flow {
        NORMAL, BREAK, CONTINUE
    }

    private final ErrorContext ctx;
    private final Functions functions;
    private final FieldReader fields;
    private final StringBuilder out;
    private final List<String> varNames = new ArrayList<>();
    private final List<Object> varValues = new ArrayList<>();

    Evaluator(ErrorContext ctx, Functions functions, boolean missingKeyIsError, StringBuilder out) {
        this.ctx = ctx;
        this.functions = functions;
        this.fields = new FieldReader(ctx, missingKeyIsError);
        this.out = out;
    }

    void execute(List<Node> nodes, Object data) throws TemplateException {
        // Go's Execute(w, nil) has an invalid dot, not a nil one
        data = data == null ? Values.NO_VALUE : data;
        push("$", data);
        walk(nodes, data);
    }

    // ---- variables

    private void push(String name, Object value) {
        varNames.add(name);
        varValues.add(value);
    }

    private int mark() {
        return varNames.size();
    }

    private void pop(int mark) {
        varNames.subList(mark, varNames.size()).clear();
        varValues.subList(mark, varValues.size()).clear();
    }

    private void setVar(String name, Object value, int pos) throws TemplateException {
        for (int i = varNames.size() - 1; i >= 0; i--) {
            if (varNames.get(i).equals(name)) {
                varValues.set(i, value);
                return;
            }
        }
        throw ctx.execError(pos, name, "undefined variable: " + name);
    }

    private Object varValue(String name, int pos) throws TemplateException {
        for (int i = varNames.size() - 1; i >= 0; i--) {
            if (varNames.get(i).equals(name)) {
                return varValues.get(i);
            }
        }
        throw ctx.execError(pos, name, "undefined variable: " + name);
    }

    // ---- structure

    private Flow walk(List<Node> nodes, Object dot) throws TemplateException {
        for (Node n : nodes) {
            Flow f = walk(n, dot);
            if (f != Flow.NORMAL) {
                return f;
            }
        }
        return Flow.NORMAL;
    }

    private Flow walk(Node node, Object dot) throws TemplateException {
        if (node instanceof Node.Text t) {
            out.append(t.text());
        } else if (node instanceof Node.Action a) {
            Object v = pipeline(dot, a.pipe());
            if (a.pipe().decls().isEmpty()) {
                print(v);
            }
        } else if (node instanceof Node.Control c) {
            return c.kind() == Node.Kind.RANGE ? range(c, dot) : ifOrWith(c, dot);
        } else if (node instanceof Node.Break) {
            return Flow.BREAK;
        } else if (node instanceof Node.Continue) {
            return Flow.CONTINUE;
        }
        return Flow.NORMAL;
    }

    private void print(Object v) {
        if (v == Values.NO_VALUE) {
            out.append("<no value>");
        } else if (v instanceof String s) {
            out.append(s);
        } else {
            GoFmt.value(out, v, false);
        }
    }

    private Flow ifOrWith(Node.Control c, Object dot) throws TemplateException {
        int mark = mark();
        try {
            Object v = pipeline(dot, c.pipe());
            if (Values.isTrue(v)) {
                return walk(c.body(), c.kind() == Node.Kind.WITH ? v : dot);
            } else if (c.otherwise() != null) {
                return walk(c.otherwise(), dot);
            }
            return Flow.NORMAL;
        } finally {
            pop(mark);
        }
    }

    private Flow range(Node.Control c, Object dot) throws TemplateException {
        int mark = mark();
        try {
            Object v = pipeline(dot, c.pipe());
            boolean any = false;
            if (v instanceof Map<?, ?> m) {
                for (Map.Entry<Object, Object> e : Values.sortedEntries(m)) {
                    any = true;
                    if (iteration(c, e.getKey(), e.getValue()) == Flow.BREAK) {
                        break;
                    }
                }
            } else if (Values.isList(v)) {
                List<Object> items = Values.asList(v);
                for (int i = 0; i < items.size(); i++) {
                    any = true;
                    if (iteration(c, (long) i, items.get(i)) == Flow.BREAK) {
                        break;
                    }
                }
            } else if (v != null && v != Values.NO_VALUE) {
                Command last = c.pipe().commands().get(c.pipe().commands().size() - 1);
                Arg at = last.args().get(0);
                throw ctx.execError(at.pos(), NodeText.of(at), "range can't iterate over " + GoFmt.print(v));
            }
            if (!any && c.otherwise() != null) {
                return walk(c.otherwise(), dot);
            }
            return Flow.NORMAL;
        } finally {
            pop(mark);
        }
    }

    private Flow iteration(Node.Control c, Object key, Object element) throws TemplateException {
        List<String> decls = c.pipe().decls();
        if (!decls.isEmpty()) {
            if (c.pipe().isAssign()) {
                setVar(decls.get(decls.size() - 1), element, c.pos());
                if (decls.size() > 1) {
                    setVar(decls.get(0), key, c.pos());
                }
            } else {
                varValues.set(varValues.size() - 1, element);
                if (decls.size() > 1) {
                    varValues.set(varValues.size() - 2, key);
                }
            }
        }
        int mark = mark();
        try {
            return walk(c.body(), element);
        } finally {
            pop(mark);
        }
    }

    // ---- pipelines and commands

    private Object pipeline(Object dot, Pipeline pipe) throws TemplateException {
        Object value = Values.NO_VALUE;
        boolean first = true;
        for (Command cmd : pipe.commands()) {
            value = command(dot, cmd, value, first);
            first = false;
            if (value == null) {
                // Go unwraps interface{} values between stages: a nil becomes "no value"
                value = Values.NO_VALUE;
            }
        }
        for (String name : pipe.decls()) {
            if (pipe.isAssign()) {
                setVar(name, value, pipe.pos());
            } else {
                push(name, value);
            }
        }
        return value;
    }

    /** final is the previous stage's value, or absent (the first stage has none). */
    private Object command(Object dot, Command cmd, Object fin, boolean noFinal) throws TemplateException {
        Arg first = cmd.args().get(0);
        boolean hasArgs = cmd.args().size() > 1 || !noFinal;
        if (first instanceof Node.Field f) {
            return fields.chain(dot, f, f.names(), hasArgs);
        }
        if (first instanceof Node.Chain c) {
            Object receiver = c.term() instanceof Node.SubPipe p ? pipeline(dot, p.pipe()) : arg(dot, c.term());
            return fields.chain(receiver, c, c.fields(), hasArgs);
        }
        if (first instanceof Node.Variable v) {
            Object value = varValue(v.name(), v.pos());
            if (v.fields().isEmpty()) {
                notAFunction(v, hasArgs);
                return value;
            }
            return fields.chain(value, v, v.fields(), hasArgs);
        }
        if (first instanceof Node.Identifier id) {
            return call(dot, id, cmd, fin, noFinal);
        }
        notAFunction(first, hasArgs);
        if (first instanceof Node.SubPipe p) {
            return pipeline(dot, p.pipe());
        }
        if (first instanceof Node.Literal l) {
            return l.value();
        }
        if (first instanceof Node.Nil n) {
            throw ctx.execError(n.pos(), "nil", "nil is not a command");
        }
        return dot;
    }

    private void notAFunction(Arg a, boolean hasArgs) throws TemplateException {
        if (hasArgs) {
            throw ctx.execError(a.pos(), NodeText.of(a), "can't give argument to non-function " + NodeText.of(a));
        }
    }

    private TemplateException error(Arg node, String message) {
        return ctx.execError(node.pos(), NodeText.of(node), message);
    }

    /** The value of an argument (not the first word) of a command. */
    private Object arg(Object dot, Arg a) throws TemplateException {
        if (a instanceof Node.Dot) {
            return dot;
        }
        if (a instanceof Node.Nil) {
            return null;
        }
        if (a instanceof Node.Literal l) {
            return l.value();
        }
        if (a instanceof Node.Field f) {
            return fields.chain(dot, f, f.names(), false);
        }
        if (a instanceof Node.Variable v) {
            Object value = varValue(v.name(), v.pos());
            return v.fields().isEmpty() ? value : fields.chain(value, v, v.fields(), false);
        }
        if (a instanceof Node.SubPipe p) {
            return pipeline(dot, p.pipe());
        }
        if (a instanceof Node.Chain c) {
            Object receiver = c.term() instanceof Node.SubPipe p ? pipeline(dot, p.pipe()) : arg(dot, c.term());
            return fields.chain(receiver, c, c.fields(), false);
        }
        Node.Identifier id = (Node.Identifier) a;
        return call(dot, id, new Command(id.pos(), List.of(id)), null, true);
    }

    private Object call(Object dot, Node.Identifier id, Command cmd, Object fin, boolean noFinal) throws TemplateException {
        Functions.Function f = functions.get(id.name());
        List<Arg> argNodes = cmd.args().subList(1, cmd.args().size());
        int count = argNodes.size() + (noFinal ? 0 : 1);
        if (count < f.minArgs() || f.maxArgs() >= 0 && count > f.maxArgs()) {
            String want = f.maxArgs() < 0 ? "at least " + f.minArgs() : Integer.toString(f.minArgs());
            throw ctx.execError(id.pos(), id.name(), "wrong number of args for " + id.name() + ": want " + want + " got " + count);
        }
        if (id.name().equals("and") || id.name().equals("or")) {
            return andOr(dot, id.name().equals("and"), argNodes, fin, noFinal);
        }
        List<Object> args = new ArrayList<>(count);
        for (int i = 0; i < argNodes.size(); i++) {
            Arg a = argNodes.get(i);
            Object v = arg(dot, a);
            char type = f.paramType(i);
            String wrong = a instanceof Node.Literal l ? Functions.checkLiteral(type, v, l.source()) : Functions.checkType(type, v);
            if (wrong != null) {
                throw error(a, wrong);
            }
            args.add(v);
        }
        if (!noFinal) {
            String wrong = Functions.checkType(f.paramType(argNodes.size()), fin);
            if (wrong != null) {
                throw ctx.execError(cmd.pos(), NodeText.of(cmd), wrong);
            }
            args.add(fin);
        }
        try {
            return Functions.call(f.name(), args);
        } catch (FuncException e) {
            if (e.fromCall) {
                throw ctx.execError(cmd.pos(), NodeText.of(cmd), "error calling " + id.name() + ": " + e.getMessage());
            }
            throw ctx.execError(cmd.pos(), NodeText.of(cmd), e.getMessage());
        } catch (RuntimeException e) {
            throw ctx.execError(cmd.pos(), NodeText.of(cmd), "error calling " + id.name() + ": " + e);
        }
    }

    /** Go's and/or stop at the first argument that decides, and return that argument itself. */
    private Object andOr(Object dot, boolean isAnd, List<Arg> argNodes, Object fin, boolean noFinal) throws TemplateException {
        Object v = null;
        for (Arg a : argNodes) {
            v = arg(dot, a);
            if (Values.isTrue(v) != isAnd) {
                return v;
            }
        }
        return noFinal ? v : fin;
    }
}
