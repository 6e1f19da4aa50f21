package berth.cli.template;

import berth.cli.template.Node.Arg;
import berth.cli.template.Node.Command;
import berth.cli.template.Node.Pipeline;

/** A node as Go prints it in "executing ... at <NODE>" messages. */
final class NodeText {
    private NodeText() {
    }

    static String of(Arg a) {
        if (a instanceof Node.Field f) {
            return "." + String.join(".", f.names());
        }
        if (a instanceof Node.Variable v) {
            return v.fields().isEmpty() ? v.name() : v.name() + "." + String.join(".", v.fields());
        }
        if (a instanceof Node.Chain c) {
            return of(c.term()) + "." + String.join(".", c.fields());
        }
        if (a instanceof Node.SubPipe p) {
            return "(" + of(p.pipe()) + ")";
        }
        if (a instanceof Node.Literal l) {
            return l.source();
        }
        if (a instanceof Node.Identifier i) {
            return i.name();
        }
        return a instanceof Node.Nil ? "nil" : ".";
    }

    static String of(Command c) {
        StringBuilder sb = new StringBuilder();
        for (Arg a : c.args()) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(of(a));
        }
        return sb.toString();
    }

    static String of(Pipeline p) {
        StringBuilder sb = new StringBuilder();
        if (!p.decls().isEmpty()) {
            sb.append(String.join(", ", p.decls())).append(p.isAssign() ? " = " : " := ");
        }
        for (int i = 0; i < p.commands().size(); i++) {
            if (i > 0) {
                sb.append(" | ");
            }
            sb.append(of(p.commands().get(i)));
        }
        return sb.toString();
    }
}
