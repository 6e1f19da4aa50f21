package berth.support.toml;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A TOML v1.0 reader for configuration files (containers.conf, registries.conf, storage.conf),
 * small enough to stay on the CLI's start-up path. A document becomes plain immutable values: a
 * table is a {@code Map<String, Object>} in the file's order, an array a {@code List<Object>}, a
 * string a {@link String}, an integer a {@link Long}, a float a {@link Double}, a boolean a
 * {@link Boolean}; a date, time or date-time is checked and kept as its text (a space between date
 * and time becomes {@code T}), as nothing berth reads is one.
 */
public final class Toml {
    private Toml() {
    }

    /** The document {@code text}; {@code source} names it in errors. */
    public static Map<String, Object> parse(String text, String source) throws TomlException {
        return new TomlParser(text, source).document();
    }

    /** The document in {@code file}, which must be UTF-8 (TOML's only encoding). */
    public static Map<String, Object> read(Path file) throws IOException, TomlException {
        byte[] bytes = Files.readAllBytes(file);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CoderResult r = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(in, out, true);
        if (r.isError()) {
            int line = 1;
            for (int i = 0; i < in.position(); i++) {
                line += bytes[i] == '\n' ? 1 : 0;
            }
            throw new TomlException(file.toString(), line, 1, "not valid UTF-8 (byte " + (in.position() + 1) + " of the file)");
        }
        String text = out.flip().toString();
        return parse(text, file.toString());
    }
}
