package berth.cli.template;

import berth.cli.template.Token.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Splits template text into tokens as Go's text/template lexer does: text, and inside {@code {{ }}}
 * the action's words. Trim markers ({@code {{- } and {@code  -}}}) are applied here, to the
 * neighbouring text, so the parser never sees them; comments ({@code {{/* ... *&#47;}}}) vanish.
 */
final class Lexer {
    private static final String LEFT = "{{";
    private static final String RIGHT = "}}";
    private static final Set<String> KEYWORDS = Set.of("if", "else", "end", "range", "with", "break", "continue", "define",
            "template", "block");

    private final String src;
    private final ErrorContext ctx;
    private final List<Token> tokens = new ArrayList<>();
    private int pos;
    private int parenDepth;

    private Lexer(String src, ErrorContext ctx) {
        this.src = src;
        this.ctx = ctx;
    }

    static List<Token> lex(String src, ErrorContext ctx) throws TemplateException {
        Lexer l = new Lexer(src, ctx);
        l.run();
        return l.tokens;
    }

    private void run() throws TemplateException {
        boolean trimNextText = false;
        while (pos < src.length()) {
            int open = src.indexOf(LEFT, pos);
            int textEnd = open < 0 ? src.length() : open;
            boolean trimLeft = open >= 0 && hasLeftTrimMarker(open);
            int from = pos;
            int to = textEnd;
            if (trimNextText) {
                while (from < to && isTrimSpace(src.charAt(from))) {
                    from++;
                }
            }
            if (trimLeft) {
                while (to > from && isTrimSpace(src.charAt(to - 1))) {
                    to--;
                }
            }
            if (to > from) {
                tokens.add(new Token(Kind.TEXT, src.substring(from, to), from));
            }
            if (open < 0) {
                pos = src.length();
                break;
            }
            pos = open + LEFT.length() + (trimLeft ? 2 : 0);
            trimNextText = action(open);
        }
        tokens.add(new Token(Kind.EOF, "", src.length()));
    }

    private boolean hasLeftTrimMarker(int open) {
        int p = open + LEFT.length();
        return p + 1 < src.length() && src.charAt(p) == '-' && isTrimSpace(src.charAt(p + 1));
    }

    /** Is there " -}}" at p? */
    private boolean atRightTrimMarker(int p) {
        return p + 4 <= src.length() && isTrimSpace(src.charAt(p)) && src.charAt(p + 1) == '-' && src.startsWith(RIGHT, p + 2);
    }

    /** Lexes one action from pos (just after the left delimiter); returns whether it ended with a trim marker. */
    private boolean action(int open) throws TemplateException {
        int afterDelim = pos;
        if (src.startsWith("/*", pos)) {
            return comment(open);
        }
        tokens.add(new Token(Kind.LEFT_DELIM, LEFT, open));
        parenDepth = 0;
        while (true) {
            if (pos >= src.length()) {
                throw ctx.parseError(afterDelim, "unclosed action");
            }
            if (atRightTrimMarker(pos)) {
                checkParens();
                tokens.add(new Token(Kind.RIGHT_DELIM, RIGHT, pos + 2));
                pos += 4;
                return true;
            }
            if (src.startsWith(RIGHT, pos)) {
                checkParens();
                tokens.add(new Token(Kind.RIGHT_DELIM, RIGHT, pos));
                pos += 2;
                return false;
            }
            char c = src.charAt(pos);
            int start = pos;
            if (isSpace(c)) {
                while (pos < src.length() && isSpace(src.charAt(pos)) && !atRightTrimMarker(pos)) {
                    pos++;
                }
                if (pos > start) {
                    tokens.add(new Token(Kind.SPACE, src.substring(start, pos), start));
                } else {
                    // a space that starts " -}}": it belongs to the delimiter
                    continue;
                }
            } else if (c == ':') {
                if (!src.startsWith(":=", pos)) {
                    throw ctx.parseError(pos, "expected :=");
                }
                pos += 2;
                tokens.add(new Token(Kind.DECLARE, ":=", start));
            } else if (c == '=') {
                pos++;
                tokens.add(new Token(Kind.ASSIGN, "=", start));
            } else if (c == '|') {
                pos++;
                tokens.add(new Token(Kind.PIPE, "|", start));
            } else if (c == ',') {
                pos++;
                tokens.add(new Token(Kind.COMMA, ",", start));
            } else if (c == '(') {
                pos++;
                parenDepth++;
                tokens.add(new Token(Kind.LEFT_PAREN, "(", start));
            } else if (c == ')') {
                pos++;
                parenDepth--;
                tokens.add(new Token(Kind.RIGHT_PAREN, ")", start));
            } else if (c == '"') {
                quoted('"', Kind.STRING, "unterminated quoted string");
            } else if (c == '`') {
                int end = src.indexOf('`', pos + 1);
                if (end < 0) {
                    throw ctx.parseError(start, "unterminated raw quoted string");
                }
                pos = end + 1;
                tokens.add(new Token(Kind.RAW_STRING, src.substring(start, pos), start));
            } else if (c == '\'') {
                quoted('\'', Kind.CHAR, "unterminated character constant");
            } else if (c == '$') {
                pos++;
                identifierChars();
                tokens.add(new Token(Kind.VARIABLE, src.substring(start, pos), start));
                checkTerminator();
            } else if (c == '.') {
                if (pos + 1 < src.length() && Character.isDigit(src.charAt(pos + 1))) {
                    number();
                } else {
                    pos++;
                    identifierChars();
                    tokens.add(new Token(pos - start == 1 ? Kind.DOT : Kind.FIELD, src.substring(start, pos), start));
                    checkTerminator();
                }
            } else if (c == '+' || c == '-' || Character.isDigit(c)) {
                number();
            } else if (isAlnum(c)) {
                identifierChars();
                String word = src.substring(start, pos);
                Kind k = KEYWORDS.contains(word) ? Kind.KEYWORD
                        : word.equals("true") || word.equals("false") ? Kind.BOOL : word.equals("nil") ? Kind.NIL : Kind.IDENTIFIER;
                tokens.add(new Token(k, word, start));
                checkTerminator();
            } else if (c < 0x7f && c >= 0x20) {
                // a stray printable character: the parser reports it where it finds it ("unexpected "%" in operand")
                pos++;
                tokens.add(new Token(Kind.OTHER, String.valueOf(c), start));
            } else {
                throw ctx.parseError(start, "unrecognized character in action: " + quoteRune(c));
            }
        }
    }

    private void checkParens() throws TemplateException {
        if (parenDepth > 0) {
            throw ctx.parseError(pos, "unclosed left paren");
        }
    }

    private boolean comment(int open) throws TemplateException {
        int end = src.indexOf("*/", pos + 2);
        if (end < 0) {
            throw ctx.parseError(open, "unclosed comment");
        }
        pos = end + 2;
        if (atRightTrimMarker(pos)) {
            pos += 4;
            return true;
        }
        if (!src.startsWith(RIGHT, pos)) {
            throw ctx.parseError(open, "comment ends before closing delimiter");
        }
        pos += 2;
        return false;
    }

    private void quoted(char quote, Kind kind, String unterminated) throws TemplateException {
        int start = pos;
        pos++;
        while (true) {
            if (pos >= src.length() || src.charAt(pos) == '\n') {
                throw ctx.parseError(start, unterminated);
            }
            char c = src.charAt(pos++);
            if (c == '\\') {
                pos++;
            } else if (c == quote) {
                break;
            }
        }
        tokens.add(new Token(kind, src.substring(start, pos), start));
    }

    /** Go's scanNumber: sign, base prefix, digits, fraction, exponent; a letter right after is an error. */
    private void number() throws TemplateException {
        int start = pos;
        accept("+-");
        String digits = "0123456789_";
        if (accept("0")) {
            if (accept("xX")) {
                digits = "0123456789abcdefABCDEF_";
            } else if (accept("oO")) {
                digits = "01234567_";
            } else if (accept("bB")) {
                digits = "01_";
            }
        }
        acceptRun(digits);
        if (accept(".")) {
            acceptRun(digits);
        }
        if (digits.length() == 11 && accept("eE")) {
            accept("+-");
            acceptRun("0123456789_");
        }
        if (digits.length() == 23 && accept("pP")) {
            accept("+-");
            acceptRun("0123456789_");
        }
        accept("i");
        if (pos < src.length() && isAlnum(src.charAt(pos))) {
            pos++;
            throw ctx.parseError(start, "bad number syntax: \"" + src.substring(start, pos) + "\"");
        }
        tokens.add(new Token(Kind.NUMBER, src.substring(start, pos), start));
    }

    private boolean accept(String valid) {
        if (pos < src.length() && valid.indexOf(src.charAt(pos)) >= 0) {
            pos++;
            return true;
        }
        return false;
    }

    private void acceptRun(String valid) {
        while (accept(valid)) {
            // consumed
        }
    }

    private void identifierChars() {
        while (pos < src.length() && isAlnum(src.charAt(pos))) {
            pos++;
        }
    }

    /** Go requires a word to be followed by something that can end it: "{{.A%}}" is an error, not ".A" then "%". */
    private void checkTerminator() throws TemplateException {
        if (pos >= src.length()) {
            return;
        }
        char c = src.charAt(pos);
        if (isSpace(c) || c == '.' || c == ',' || c == '|' || c == ':' || c == ')' || c == '(' || c == '=' || src.startsWith(RIGHT, pos)) {
            return;
        }
        Token last = tokens.get(tokens.size() - 1);
        throw ctx.parseError(last.pos(), "bad character " + quoteRune(c));
    }

    private static String quoteRune(char c) {
        return "U+" + String.format("%04X", (int) c) + " '" + c + "'";
    }

    static boolean isTrimSpace(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    private static boolean isAlnum(char c) {
        return c == '_' || Character.isLetterOrDigit(c);
    }
}
