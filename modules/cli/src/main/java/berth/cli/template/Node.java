package berth.cli.template;

import java.util.List;

/** The parsed template: what {@link Parser} builds and {@link Evaluator} walks. */
sealed interface Node {
    /** Literal text, printed as is. */
    record Text(String text) implements Node {
    }

    /** {{pipeline}}: printed unless it only declares variables. */
    record Action(int pos, Pipeline pipe) implements Node {
    }

    /** if, with and range share a shape; an "else if" chain is an If inside the otherwise list. */
    record Control(Kind kind, int pos, Pipeline pipe, List<Node> body, List<Node> otherwise) implements Node {
    }

    record Break(int pos) implements Node {
    }

    record Continue(int pos) implements Node {
    }

    enum Kind {
        IF, WITH, RANGE
    }

    /** {@code $a, $b := cmd | cmd}; decls empty for a plain pipeline. */
    record Pipeline(int pos, boolean isAssign, List<String> decls, List<Command> commands) {
    }

    /** One stage of a pipeline: a function or value and its arguments. */
    record Command(int pos, List<Arg> args) {
    }

    /** The operands of a command. */
    sealed interface Arg {
        int pos();
    }

    record Dot(int pos) implements Arg {
    }

    record Nil(int pos) implements Arg {
    }

    /** A string, number, bool or char constant, already converted to its Java value. */
    record Literal(int pos, Object value, String source) implements Arg {
    }

    /** .A.B.C on dot. */
    record Field(int pos, List<String> names) implements Arg {
    }

    /** $x or $x.A.B. */
    record Variable(int pos, String name, List<String> fields) implements Arg {
    }

    /** A function name. */
    record Identifier(int pos, String name) implements Arg {
    }

    /** (pipeline). */
    record SubPipe(int pos, Pipeline pipe) implements Arg {
    }

    /** A term followed by fields: (pipeline).A.B, or func.A. */
    record Chain(int pos, Arg term, List<String> fields) implements Arg {
    }
}
