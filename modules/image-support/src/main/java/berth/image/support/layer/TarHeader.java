package berth.image.support.layer;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One tar entry's header with its PAX and GNU extensions merged, as Go's archive/tar reports it.
 *
 * @param type the type flag ('0' for a regular file; a v7 '\0' is '0', or '5' when the name ends in '/')
 * @param nameBytes the entry's name exactly as stored (PAX path, GNU long name, or ustar prefix/name)
 * @param linkBytes the hard or symbolic link target as stored
 * @param size the size the header states (what tar-split records)
 * @param contentLength the bytes of content that follow (0 for the header-only types, whatever the size says)
 * @param atimeSeconds access time, or -1 when the header has none
 * @param xattrs PAX {@code SCHILY.xattr.NAME} records: name to raw value
 */
record TarHeader(byte type, byte[] nameBytes, byte[] linkBytes, long size, long contentLength, int mode, long uid,
                 long gid, long mtimeSeconds, int mtimeNanos, long atimeSeconds, int atimeNanos, int devMajor,
                 int devMinor, Map<String, byte[]> xattrs) {

    static final byte REGULAR = '0';
    static final byte HARD_LINK = '1';
    static final byte SYMLINK = '2';
    static final byte CHAR_DEVICE = '3';
    static final byte BLOCK_DEVICE = '4';
    static final byte DIRECTORY = '5';
    static final byte FIFO = '6';
    static final byte CONTIGUOUS = '7';
    static final byte GLOBAL_PAX = 'g';

    String name() {
        return new String(nameBytes, StandardCharsets.UTF_8);
    }

    String linkName() {
        return new String(linkBytes, StandardCharsets.UTF_8);
    }

    /** The name quoted for a message. */
    String quotedName() {
        return "\"" + name() + "\"";
    }
}
