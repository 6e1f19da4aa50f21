package berth.support.toml;

import java.util.List;

/**
 * TOML documents for each feature the reader supports, valid and invalid, shared by
 * {@link TomlTest} (which checks our values) and {@link TomlDifferentialTest} (which checks that
 * jackson-dataformat-toml reads the same tree, or refuses too).
 */
final class TomlCorpus {
    private TomlCorpus() {
    }

    static final List<String> VALID = List.of(
            "",
            "# only a comment\n",
            "\n\n  \t\n",
            "a = 1",
            "a = 1\r\nb = 2\r\n",
            "a = 1 # trailing comment\n",
            // keys: bare, quoted, dotted, blanks around dots
            "bare_key-1 = 1\n\"quoted key\" = 2\n'literal key' = 3\n\"\" = 4\n1234 = 5\n",
            "a.b.c = 1\na . \"b.c\" . 'd' = 2\na.b.e = 3\n",
            "\"\\u00e9t\\u00e9\" = \"summer\"\n",
            "site.\"google.com\" = true\n",
            // tables
            "[a]\nx = 1\n[b]\ny = 2\n",
            "[a.b.c]\nx = 1\n[a]\ny = 2\n",
            "[ a . b ]\nx = 1\n",
            "[a.\"b.c\".'d']\nx = 1\n",
            "[fruit]\napple.color = \"red\"\napple.taste.sweet = true\n[fruit.apple.texture]\nsmooth = true\n",
            "[x.y.z.w]\n[x]\n",
            "[a]\n[a.b]\n[a.c]\n",
            // arrays of tables, nested ones
            "[[registry]]\nlocation = \"a.io\"\n[[registry]]\nlocation = \"b.io\"\n",
            "[[registry]]\nprefix = \"x.io\"\n[[registry.mirror]]\nlocation = \"m1.io\"\n[[registry.mirror]]\nlocation = \"m2.io\"\ninsecure = true\n"
                    + "[[registry]]\nprefix = \"y.io\"\n[[registry.mirror]]\nlocation = \"m3.io\"\n",
            "[[fruits]]\nname = \"apple\"\n[fruits.physical]\ncolor = \"red\"\n[[fruits.varieties]]\nname = \"red delicious\"\n"
                    + "[[fruits]]\nname = \"banana\"\n[[fruits.varieties]]\nname = \"plantain\"\n",
            "[[a.b]]\nx = 1\n[[a.b]]\nx = 2\n",
            // basic strings and every escape
            "s = \"plain\"\n",
            "s = \"\\b\\t\\n\\f\\r\\\"\\\\\"\n",
            "s = \"\\u0041\\u00E9\\u20AC\\U0001F600\\U0010FFFF\\U00000000\"\n",
            "s = \"tab\there\"\n",
            "s = \"non-ASCII: é € 😀 \u2028\"\n",
            "s = \"# not a comment\"\n",
            // literal strings
            "s = 'C:\\Users\\nodejs\\templates'\n",
            "s = '<\\i\\c*\\s*>'\n",
            "s = 'Tom \"Dubs\" Preston-Werner'\n",
            // multi-line basic strings
            "s = \"\"\"\nRoses are red\nViolets are blue\"\"\"\n",
            "s = \"\"\"\r\none\r\ntwo\"\"\"\n",
            "s = \"\"\"The quick brown \\\n\n\n  fox jumps over \\\n    the lazy dog.\"\"\"\n",
            "s = \"\"\"\\\n       The quick brown \\\n       fox jumps over \\\n       the lazy dog.\\\n       \"\"\"\n",
            "s = \"\"\"Here are two quotation marks: \"\". Simple enough.\"\"\"\n",
            "s = \"\"\"Here are three quotation marks: \"\"\\\".\"\"\"\n",
            "s = \"\"\"\"This,\" she said, \"is just a pointless statement.\"\"\"\"\n",
            "s = \"\"\"a\"\"\"\"\"\n",
            "s = \"\"\"\\ttab \\u00e9 \\\"quote\\\"\"\"\"\n",
            "s = \"\"\"line \\   \n  continued\"\"\"\n",
            // multi-line literal strings
            "s = '''I [dw]on't need \\d{2} apples'''\n",
            "s = '''\nThe first newline is\ntrimmed in raw strings.\n   All other whitespace\n   is preserved.\n'''\n",
            "s = '''Here are fifteen quotation marks: \"\"\"\"\"\"\"\"\"\"\"\"\"\"\"'''\n",
            "s = ''''That,' she said, 'is still pointless.''''\n",
            "s = '''a\\b'''\n",
            // integers
            "a = +99\nb = 42\nc = 0\nd = -17\ne = +0\nf = -0\n",
            "a = 1_000\nb = 5_349_221\nc = 53_49_221\nd = 1_2_3_4_5\n",
            "a = 0xDEADBEEF\nb = 0xdeadbeef\nc = 0xdead_beef\nd = 0o01234567\ne = 0o755\nf = 0b11010110\ng = 0x0\n",
            "a = 2147483647\nb = 2147483648\nc = -2147483649\nd = 922337203685477580\ne = -922337203685477580\n",
            "a = 0x7FFFFFFFFFFFFFFF\n",
            // floats
            "a = +1.0\nb = 3.1415\nc = -0.01\nd = 5e+22\ne = 1e06\nf = -2E-2\ng = 6.626e-34\nh = 224_617.445_991_228\n",
            "a = 0.0\nb = +0.0\nc = -0.0\nd = 0e0\ne = 1E5\n",
            "a = inf\nb = +inf\nc = -inf\nd = nan\ne = +nan\nf = -nan\n",
            "a = 1.7976931348623157e308\nb = 4.9e-324\n",
            // booleans
            "t = true\nf = false\n",
            // dates and times
            "a = 1979-05-27T07:32:00Z\nb = 1979-05-27T00:32:00-07:00\nc = 1979-05-27T00:32:00.999999-07:00\n",
            "a = 1979-05-27 07:32:00Z\nb = 1979-05-27T07:32:00\nc = 1979-05-27T00:32:00.999999\n",
            "a = 1979-05-27\nb = 07:32:00\nc = 00:32:00.999999\nd = 2000-02-29\n",
            // arrays
            "a = []\nb = [ 1, 2, 3 ]\nc = [\"red\", \"yellow\"]\nd = [ [ 1, 2 ], [3, 4, 5] ]\n",
            "a = [ \"all\", 'strings', \"\"\"are the same\"\"\", '''type''' ]\n",
            "a = [ 0.1, 0.2, 0.5, 1, 2, 5 ]\nb = [ [ 1, 2 ], [\"a\", \"b\", \"c\"] ]\n",
            "a = [\n  1,\n  2, # a comment\n  # another\n  3,\n]\n",
            "a = [ # open\n\n]\n",
            "a = [1,2,]\n",
            "default_ulimits = [\n  \"nofile=20000:20000\",\n  \"nproc=32768:32768\",\n]\n",
            "a = [ { x = 1, y = 2 }, { x = 3 } ]\n",
            // inline tables
            "name = { first = \"Tom\", last = \"Preston-Werner\" }\n",
            "point = { x = 1, y = 2 }\nanimal = { type.name = \"pug\" }\nempty = {}\n",
            "a = { b = { c = { d = 1 } }, e = [1, { f = 2 }] }\n",
            "[product]\ntype = { name = \"Nail\" }\n",
            "[containers]\ndefault_ulimits = [\"nofile=20000:20000\", \"nproc=32768:32768\"]\n");

    static final List<String> INVALID = List.of(
            "a",
            "a =",
            "= 1",
            "a = 1 b = 2",
            "a = 1\na = 2",
            "a.b = 1\na.b = 2",
            "a = 1\na.b = 2",
            "a.b = 1\na = 2",
            "[a]\n[a]",
            "[a]\nb = 1\n[a.b]",
            "a.b = 1\n[a]",
            "[a]\nb.c = 1\n[a.b]",
            "[[a]]\n[a]",
            "[a]\n[[a]]",
            "a = []\n[[a]]",
            "a = {}\n[a]",
            "a = { b = 1 }\n[a.c]",
            "a = { b = 1 }\na.c = 2",
            "[a",
            "[a]]",
            "[[a]",
            "[]",
            "[a.]",
            "[.a]",
            "[a..b]",
            "a.= 1",
            "\"\"\"a\"\"\" = 1",
            "a = \"unclosed",
            "a = \"line\nbreak\"",
            "a = 'unclosed",
            "a = \"\"\"unclosed",
            "a = '''unclosed",
            "a = \"\\x41\"",
            "a = \"\\e\"",
            "a = \"\\u00G1\"",
            "a = \"\\u12\"",
            "a = \"\\U00110000\"",
            "a = \"\\ \"",
            "a = \"a\u0001b\"",
            "a = \"a\u007fb\"",
            "a = 'a\u0000b'",
            "# comment \u0001\n",
            "a = \"\"\"x\"\"\"\"\"\"",
            "a = 1\rb = 2",
            "a = +",
            "a = 01",
            "a = 00",
            "a = -01",
            "a = 1__0",
            "a = _1",
            "a = 1_",
            "a = 0x",
            "a = 0xG",
            "a = 0x_1",
            "a = -0x1",
            "a = +0o7",
            "a = 0o8",
            "a = 0b2",
            "a = 0X1",
            "a = 1.",
            "a = .1",
            "a = 1.e5",
            "a = 1e",
            "a = 1e+",
            "a = 1.5.5",
            "a = 1e5.5",
            "a = 01.5",
            "a = 1_.5",
            "a = 1._5",
            "a = infinity",
            "a = NaN",
            "a = Inf",
            "a = TRUE",
            "a = truex",
            "a = tru",
            "a = 1979-05-27T07:32",
            "a = 1979-05-27T07:32:00.",
            "a = 1979-05-27T07:32:00+7:00",
            "a = 1979-05-27T07:32:00X",
            "a = 79-05-27",
            "a = 07:32",
            "a = [1, 2",
            "a = [1 2]",
            "a = [,]",
            "a = [1,,2]",
            "a = { b = 1, }",
            "a = { b = 1\n}",
            "a = {\nb = 1 }",
            "a = { b = 1 c = 2 }",
            "a = { b = 1, b = 2 }",
            "a = { b.c = 1, b = 2 }",
            "a = value",
            "a = \"x\" \"y\"",
            "a = 1\n[b]\nc = 2 3",
            "key with space = 1");

    private static final String NESTED = "[".repeat(5000) + "]".repeat(5000);

    /** Too deep for any reader's stack; both refuse it (ours with a depth limit). */
    static String deep() {
        return "a = " + NESTED;
    }
}
