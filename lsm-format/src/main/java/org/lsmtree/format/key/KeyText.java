package org.lsmtree.format.key;

/** Renders keys for messages: printable ASCII as text, anything else as {@code 0x} hex. */
final class KeyText {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private KeyText() {}

    static String describe(byte[] key) {
        boolean printable = true;
        for (byte b : key) {
            if (b < 0x20 || b > 0x7e) {
                printable = false;
                break;
            }
        }
        if (printable) {
            return "'" + new String(key, java.nio.charset.StandardCharsets.US_ASCII) + "'";
        }
        StringBuilder hex = new StringBuilder("0x");
        for (byte b : key) {
            hex.append(HEX[(b >> 4) & 0xf]).append(HEX[b & 0xf]);
        }
        return hex.toString();
    }
}
