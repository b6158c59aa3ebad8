package org.lsmtree.manifest;

import org.lsmtree.format.key.InternalKey;

/**
 * Renders internal keys for messages and dumps the way LevelDB's {@code DebugString} does:
 * {@code 'user key' @ sequence : type}, with bytes outside printable ASCII escaped as
 * {@code \xNN}. Stateless.
 */
final class KeyRender {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private KeyRender() {}

    /** An encoded internal key (at least 8 bytes) as {@code 'key' @ seq : type}. */
    static String internal(byte[] encoded) {
        if (encoded.length < InternalKey.TRAILER_SIZE) {
            return "(bad)" + escaped(encoded, encoded.length);
        }
        long trailer = InternalKey.trailerOf(encoded);
        return "'" + escaped(encoded, encoded.length - InternalKey.TRAILER_SIZE) + "' @ "
                + (trailer >>> 8) + " : " + (trailer & 0xff);
    }

    private static String escaped(byte[] bytes, int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            int b = bytes[i] & 0xff;
            if (b >= 0x20 && b <= 0x7e) {
                text.append((char) b);
            } else {
                text.append("\\x").append(HEX[b >> 4]).append(HEX[b & 0xf]);
            }
        }
        return text.toString();
    }
}
