package org.lsmtree.format.log;

import static org.lsmtree.format.log.LogFormat.HEADER_SIZE;

import org.lsmtree.format.Crc32c;
import org.lsmtree.format.LittleEndian;

/**
 * The checks a {@link LogReader} makes before it calls a fragment that reaches past the end of
 * the file a torn tail: whether anything checksummed is there that a crash could not have left.
 * Both work on the file's last block, {@code block[0, blockLength)}; each can be fooled only by a
 * 2^-32 chance per length or offset tried. Stateless.
 */
final class FragmentScan {
    private FragmentScan() {}

    /**
     * For a fragment at {@code header} whose length reaches past the end of the file: the payload
     * length, among those that fit, whose bytes match the stored checksum, or -1. A crash leaves a
     * fragment whose checksum covers bytes never written, so no prefix matches; a damaged length
     * field leaves one that does. One pass of a running CRC over the bytes present.
     */
    static int checksummedPrefix(byte[] block, int blockLength, int header) {
        long expected = Crc32c.unmask(LittleEndian.getFixed32(block, header)) & 0xffffffffL;
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(block[header + 6] & 0xff);
        int payload = header + HEADER_SIZE;
        for (int length = 0; payload + length <= blockLength; length++) {
            if (crc.getValue() == expected) {
                return length;
            }
            if (payload + length < blockLength) {
                crc.update(block[payload + length]);
            }
        }
        return -1;
    }

    /**
     * The position of the first fragment at or after {@code from} whose checksum matches its type
     * (a known one) and payload, the payload lying within the bytes present; or -1. A crash writes
     * nothing after the point where it tore, so after a real tear there is none.
     */
    static int checksummedFragmentAfter(byte[] block, int blockLength, int from) {
        for (int at = from; at + HEADER_SIZE <= blockLength; at++) {
            int length = (block[at + 4] & 0xff) | (block[at + 5] & 0xff) << 8;
            int type = block[at + 6] & 0xff;
            if (RecordType.fromCode(type) == null || at + HEADER_SIZE + length > blockLength) {
                continue;
            }
            if (Crc32c.unmask(LittleEndian.getFixed32(block, at))
                    == Crc32c.compute(block[at + 6], block, at + HEADER_SIZE, length)) {
                return at;
            }
        }
        return -1;
    }
}
