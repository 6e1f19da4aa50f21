package berth.cli.template;

/** One lexical item of a template; {@code pos} is its offset in the template text. */
record Token(Kind kind, String text, int pos) {
    enum Kind {
        TEXT, LEFT_DELIM, RIGHT_DELIM, SPACE, FIELD, VARIABLE, IDENTIFIER, KEYWORD, STRING, RAW_STRING, CHAR, NUMBER, BOOL,
        NIL, DOT, DECLARE, ASSIGN, PIPE, LEFT_PAREN, RIGHT_PAREN, COMMA, OTHER, EOF
    }

    boolean is(Kind k) {
        return kind == k;
    }

    boolean isKeyword(String word) {
        return kind == Kind.KEYWORD && text.equals(word);
    }

    /** How Go's parser names the token in "unexpected ..." messages. */
    String describe() {
        switch (kind) {
            case EOF:
                return "EOF";
            case RIGHT_DELIM:
                return "\"}}\"";
            case LEFT_DELIM:
                return "\"{{\"";
            case KEYWORD:
            case DOT:
            case NIL:
                // Go lists these among its keywords, and prints keywords so
                return "<" + text + ">";
            case SPACE:
                return "space";
            default:
                return "\"" + text + "\"";
        }
    }
}
