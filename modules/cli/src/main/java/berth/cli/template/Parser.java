package berth.cli.template;

import berth.cli.template.Node.Arg;
import berth.cli.template.Node.Command;
import berth.cli.template.Node.Pipeline;
import berth.cli.template.Token.Kind;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the node tree from tokens, following the grammar (and the error messages) of Go's
 * text/template/parse: variables must be declared before use and go out of scope at the end of the
 * control structure that declared them; functions must exist; break/continue only inside range.
 */
final class Parser {
    private final List<Token> tokens;
    private final ErrorContext ctx;
    private final Functions functions;
    private final List<String> vars = new ArrayList<>(List.of("$"));
    private int next;
    private int rangeDepth;

    private Parser(List<Token> tokens, ErrorContext ctx, Functions functions) {
        this.tokens = tokens;
        this.ctx = ctx;
        this.functions = functions;
    }

    static List<Node> parse(String text, ErrorContext ctx, Functions functions) throws TemplateException {
        Parser p = new Parser(Lexer.lex(text, ctx), ctx, functions);
        List<Node> nodes = new ArrayList<>();
        while (!p.peek().is(Kind.EOF)) {
            Object n = p.textOrAction();
            if (n instanceof Token t) {
                throw p.error(t, "unexpected {{" + t.text() + "}}");
            }
            if (n != null) {
                nodes.add((Node) n);
            }
        }
        return List.copyOf(nodes);
    }

    // ---- tokens

    private Token peek() {
        return tokens.get(next);
    }

    private Token nextToken() {
        return tokens.get(next++);
    }

    private void backup() {
        next--;
    }

    private Token nextNonSpace() {
        Token t = nextToken();
        while (t.is(Kind.SPACE)) {
            t = nextToken();
        }
        return t;
    }

    private Token peekNonSpace() {
        Token t = nextNonSpace();
        backup();
        return t;
    }

    private TemplateException error(Token t, String message) {
        return ctx.parseError(t.pos(), message);
    }

    private TemplateException unexpected(Token t, String context) {
        if (t.is(Kind.EOF)) {
            return error(t, "unexpected EOF");
        }
        return error(t, "unexpected " + t.describe() + " in " + context);
    }

    private Token expect(Kind kind, String context) throws TemplateException {
        Token t = nextNonSpace();
        if (!t.is(kind)) {
            throw unexpected(t, context);
        }
        return t;
    }

    // ---- structure

    /** A node, or the keyword token of {{end}} / {{else}} that ends a list (returned for the caller to judge). */
    private Object textOrAction() throws TemplateException {
        Token t = nextNonSpace();
        switch (t.kind()) {
            case TEXT:
                return new Node.Text(t.text());
            case LEFT_DELIM:
                return action();
            default:
                throw unexpected(t, "input");
        }
    }

    private Object action() throws TemplateException {
        Token t = nextNonSpace();
        if (t.is(Kind.KEYWORD)) {
            switch (t.text()) {
                case "if":
                    return control(Node.Kind.IF, t, true);
                case "range":
                    return control(Node.Kind.RANGE, t, false);
                case "with":
                    return control(Node.Kind.WITH, t, false);
                case "end":
                    expect(Kind.RIGHT_DELIM, "end");
                    return t;
                case "else":
                    if (peekNonSpace().isKeyword("if")) {
                        return t; // "else if": the caller consumes the "if"
                    }
                    expect(Kind.RIGHT_DELIM, "else");
                    return t;
                case "break":
                case "continue":
                    if (rangeDepth == 0) {
                        throw error(t, "{{" + t.text() + "}} outside {{range}}");
                    }
                    Token end = nextNonSpace();
                    if (!end.is(Kind.RIGHT_DELIM)) {
                        throw error(end, "unexpected " + end.describe() + " in {{" + t.text() + "}}");
                    }
                    return t.text().equals("break") ? new Node.Break(t.pos()) : new Node.Continue(t.pos());
                default:
                    throw error(t, "{{" + t.text() + "}} is not supported by berth's templates");
            }
        }
        backup();
        Token start = peek();
        return new Node.Action(start.pos(), pipeline("command", Kind.RIGHT_DELIM));
    }

    private Node control(Node.Kind kind, Token keyword, boolean allowElseIf) throws TemplateException {
        int mark = vars.size();
        String context = kind.name().toLowerCase();
        Pipeline pipe = pipeline(context, Kind.RIGHT_DELIM);
        if (kind == Node.Kind.RANGE) {
            rangeDepth++;
        }
        List<Node> body = new ArrayList<>();
        Token stop = itemList(body);
        if (kind == Node.Kind.RANGE) {
            rangeDepth--;
        }
        List<Node> otherwise = null;
        if (stop.text().equals("else")) {
            otherwise = new ArrayList<>();
            if (allowElseIf && peekNonSpace().isKeyword("if")) {
                // {{else if x}} is {{else}}{{if x}}...{{end}}{{end}} with one shared end
                Token ifKeyword = nextNonSpace();
                otherwise.add(control(Node.Kind.IF, ifKeyword, true));
            } else {
                Token end = itemList(otherwise);
                if (!end.text().equals("end")) {
                    throw error(end, "expected end; found {{" + end.text() + "}}");
                }
            }
        }
        vars.subList(mark, vars.size()).clear();
        return new Node.Control(kind, keyword.pos(), pipe, List.copyOf(body), otherwise == null ? null : List.copyOf(otherwise));
    }

    /** Parses nodes into {@code into} until {{end}} or {{else}}, which it returns. */
    private Token itemList(List<Node> into) throws TemplateException {
        while (true) {
            if (peekNonSpace().is(Kind.EOF)) {
                throw error(peekNonSpace(), "unexpected EOF");
            }
            Object n = textOrAction();
            if (n instanceof Token t) {
                return t;
            }
            into.add((Node) n);
        }
    }

    // ---- pipelines

    private Pipeline pipeline(String context, Kind end) throws TemplateException {
        Token first = peekNonSpace();
        List<String> decls = new ArrayList<>();
        boolean isAssign = false;
        if (first.is(Kind.VARIABLE)) {
            int save = next;
            while (true) {
                Token v = nextNonSpace();
                if (!v.is(Kind.VARIABLE)) {
                    throw error(v, "range can only initialize variables");
                }
                Token after = nextNonSpace();
                if (after.is(Kind.DECLARE) || after.is(Kind.ASSIGN)) {
                    isAssign = after.is(Kind.ASSIGN);
                    if (isAssign && !vars.contains(v.text())) {
                        throw error(v, "undefined variable \"" + v.text() + "\"");
                    }
                    decls.add(v.text());
                    break;
                }
                if (!after.is(Kind.COMMA)) {
                    if (!decls.isEmpty()) {
                        throw unexpected(after, context);
                    }
                    next = save; // a variable that is used, not declared
                    break;
                }
                decls.add(v.text());
                if (!context.equals("range") || decls.size() >= 2) {
                    throw error(v, "too many declarations in " + context);
                }
                Token following = peekNonSpace();
                if (!following.is(Kind.VARIABLE) && !following.is(Kind.RIGHT_DELIM) && !following.is(Kind.RIGHT_PAREN)) {
                    throw error(following, "range can only initialize variables");
                }
            }
        }
        List<Command> commands = new ArrayList<>();
        while (true) {
            Token t = nextNonSpace();
            if (t.is(end)) {
                if (commands.isEmpty()) {
                    throw error(t, "missing value for " + context);
                }
                break;
            }
            switch (t.kind()) {
                case BOOL: case CHAR: case DOT: case FIELD: case IDENTIFIER: case NUMBER: case NIL: case RAW_STRING: case STRING:
                case VARIABLE: case LEFT_PAREN:
                    backup();
                    commands.add(command());
                    break;
                default:
                    throw unexpected(t, context);
            }
        }
        for (int i = 1; i < commands.size(); i++) {
            Arg a = commands.get(i).args().get(0);
            if (a instanceof Node.Literal || a instanceof Node.Dot || a instanceof Node.Nil) {
                throw ctx.parseError(a.pos(), "non executable command in pipeline stage " + (i + 1));
            }
        }
        // declared after the pipeline, so "$x := $x" refers to an outer $x
        vars.addAll(isAssign ? List.of() : decls);
        return new Pipeline(first.pos(), isAssign, List.copyOf(decls), List.copyOf(commands));
    }

    private Command command() throws TemplateException {
        int pos = peekNonSpace().pos();
        List<Arg> args = new ArrayList<>();
        while (true) {
            peekNonSpace();
            Arg operand = operand();
            if (operand != null) {
                args.add(operand);
            }
            Token t = nextToken();
            if (t.is(Kind.SPACE)) {
                continue;
            }
            if (t.is(Kind.RIGHT_DELIM) || t.is(Kind.RIGHT_PAREN)) {
                backup();
            } else if (!t.is(Kind.PIPE)) {
                throw unexpected(t, "operand");
            }
            break;
        }
        if (args.isEmpty()) {
            throw ctx.parseError(pos, "empty command");
        }
        return new Command(pos, List.copyOf(args));
    }

    private Arg operand() throws TemplateException {
        Arg term = term();
        if (term == null || !peek().is(Kind.FIELD)) {
            return term;
        }
        int chainPos = peek().pos();
        List<String> fields = new ArrayList<>();
        while (peek().is(Kind.FIELD)) {
            fields.add(nextToken().text().substring(1));
        }
        if (term instanceof Node.Field f) {
            List<String> all = new ArrayList<>(f.names());
            all.addAll(fields);
            return new Node.Field(chainPos, List.copyOf(all));
        }
        if (term instanceof Node.Variable v) {
            List<String> all = new ArrayList<>(v.fields());
            all.addAll(fields);
            return new Node.Variable(chainPos, v.name(), List.copyOf(all));
        }
        if (term instanceof Node.Literal || term instanceof Node.Nil || term instanceof Node.Dot) {
            throw ctx.parseError(chainPos, "unexpected . after term \"" + source(term) + "\"");
        }
        return new Node.Chain(chainPos, term, List.copyOf(fields));
    }

    private static String source(Arg a) {
        if (a instanceof Node.Literal l) {
            return l.source();
        }
        return a instanceof Node.Nil ? "nil" : ".";
    }

    private Arg term() throws TemplateException {
        Token t = nextNonSpace();
        switch (t.kind()) {
            case IDENTIFIER:
                if (!functions.has(t.text())) {
                    throw error(t, "function \"" + t.text() + "\" not defined");
                }
                return new Node.Identifier(t.pos(), t.text());
            case DOT:
                return new Node.Dot(t.pos());
            case NIL:
                return new Node.Nil(t.pos());
            case VARIABLE:
                if (!vars.contains(t.text())) {
                    throw error(t, "undefined variable \"" + t.text() + "\"");
                }
                return new Node.Variable(t.pos(), t.text(), List.of());
            case FIELD:
                return new Node.Field(t.pos(), List.of(t.text().substring(1)));
            case BOOL:
                return new Node.Literal(t.pos(), Boolean.valueOf(t.text()), t.text());
            case CHAR:
                try {
                    return new Node.Literal(t.pos(), (long) Literals.unquoteChar(t.text()), t.text());
                } catch (IllegalArgumentException e) {
                    throw error(t, "malformed character constant: " + t.text());
                }
            case NUMBER:
                try {
                    return new Node.Literal(t.pos(), Literals.number(t.text()), t.text());
                } catch (IllegalArgumentException e) {
                    throw error(t, "bad number syntax: \"" + t.text() + "\"");
                }
            case STRING:
            case RAW_STRING:
                try {
                    return new Node.Literal(t.pos(), Literals.unquote(t.text()), t.text());
                } catch (IllegalArgumentException e) {
                    throw error(t, "invalid syntax");
                }
            case LEFT_PAREN:
                Pipeline p = pipeline("parenthesized pipeline", Kind.RIGHT_PAREN);
                return new Node.SubPipe(t.pos(), p);
            default:
                backup();
                return null;
        }
    }
}
