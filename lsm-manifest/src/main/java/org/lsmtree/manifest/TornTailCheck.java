package org.lsmtree.manifest;

import static org.lsmtree.format.log.LogFormat.BLOCK_SIZE;
import static org.lsmtree.format.log.LogFormat.HEADER_SIZE;

import java.io.IOException;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.lsmtree.format.Crc32c;
import org.lsmtree.format.LittleEndian;
import org.lsmtree.format.log.RecordType;
import org.lsmtree.format.storage.RandomReadFile;
import org.lsmtree.format.storage.Storage;

/**
 * Tells a torn tail from damage that only looks like one. The log reader calls everything from
 * an unreadable fragment to the end of the file a torn tail when a fragment's length reaches past
 * the end; a crash during the last append leaves that, but so does a damaged length field in any
 * record of a short file. After a real tear nothing whole follows, so this scans the dropped bytes
 * for a fragment that starts a record (FULL or FIRST) with a matching checksum: if one is there,
 * the "tail" hides whole records and is corruption.
 *
 * <p>Stateless.
 */
final class TornTailCheck {
    private TornTailCheck() {}

    /**
     * The offset of the first whole FULL or FIRST fragment that starts after {@code tearOffset},
     * or empty when the bytes from {@code tearOffset} to the end hold none.
     */
    static OptionalLong wholeRecordAfter(Storage storage, Path file, long tearOffset) throws IOException {
        byte[] tail;
        try (RandomReadFile in = storage.openRandomRead(file)) {
            long length = in.size() - tearOffset;
            if (length <= HEADER_SIZE || length > Integer.MAX_VALUE - 8) {
                return OptionalLong.empty();
            }
            tail = new byte[(int) length];
            int read = 0;
            while (read < tail.length) {
                int n = in.read(tearOffset + read, tail, read, tail.length - read);
                if (n <= 0) {
                    break;
                }
                read += n;
            }
            if (read < tail.length) {
                tail = java.util.Arrays.copyOf(tail, read);
            }
        }
        for (int i = 1; i + HEADER_SIZE <= tail.length; i++) {
            long offset = tearOffset + i;
            long blockEnd = (offset / BLOCK_SIZE + 1) * BLOCK_SIZE;
            int type = tail[i + 6] & 0xff;
            if (type != RecordType.FULL.code() && type != RecordType.FIRST.code()) {
                continue;
            }
            int payload = (tail[i + 4] & 0xff) | (tail[i + 5] & 0xff) << 8;
            if (offset + HEADER_SIZE + payload > blockEnd || i + HEADER_SIZE + payload > tail.length) {
                continue;
            }
            int expected = Crc32c.unmask(LittleEndian.getFixed32(tail, i));
            if (expected == Crc32c.compute((byte) type, tail, i + HEADER_SIZE, payload)) {
                return OptionalLong.of(offset);
            }
        }
        return OptionalLong.empty();
    }
}
