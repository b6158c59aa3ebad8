package org.lsmtree.cli;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Keys and values as the CLI writes and reads them. Written: printable ASCII as text (bare when
 * it needs no quoting, else in double quotes with backslash escapes), anything else as
 * {@code 0x} followed by lowercase hex; {@code hex} forces hex. What is written reads back as
 * the same bytes in the shell: a bare {@code 0x...} token is hex, a quoted one is text.
 * Stateless.
 */
final class ByteText {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private ByteText() {}

    /** {@code bytes} as text when printable, else as hex; always hex when {@code hex}. */
    static String render(byte[] bytes, boolean hex) {
        return render(bytes, 0, bytes.length, hex);
    }

    /**
     * As {@link #render(byte[], boolean)}; with {@code utf8}, bytes that are valid UTF-8 without
     * control characters print as text too (quoted as needed), not only printable ASCII.
     */
    static String render(byte[] bytes, boolean hex, boolean utf8) {
        if (!hex && utf8) {
            String text = printableUtf8(bytes);
            if (text != null) {
                return needsQuotes(text) ? quote(text) : text;
            }
        }
        return render(bytes, 0, bytes.length, hex);
    }

    /** {@code bytes} as a string when they are valid UTF-8 without control characters, else null. */
    private static String printableUtf8(byte[] bytes) {
        try {
            String text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
            return text.codePoints().allMatch(c -> !Character.isISOControl(c) && Character.isDefined(c)
                    && Character.getType(c) != Character.FORMAT) ? text : null;
        } catch (java.nio.charset.CharacterCodingException e) {
            return null;
        }
    }

    static String render(byte[] bytes, int offset, int length, boolean hex) {
        if (hex || !printable(bytes, offset, length)) {
            return hex(bytes, offset, length);
        }
        String text = new String(bytes, offset, length, StandardCharsets.US_ASCII);
        return needsQuotes(text) ? quote(text) : text;
    }

    /** {@code bytes} as bare text when printable (no quotes, for scripts), else as hex. */
    static String plain(byte[] bytes, boolean hex) {
        return hex || !printable(bytes, 0, bytes.length) ? hex(bytes, 0, bytes.length)
                : new String(bytes, StandardCharsets.US_ASCII);
    }

    /** {@code 0x} and two lowercase hex digits per byte ({@code 0x} alone for no bytes). */
    static String hex(byte[] bytes, int offset, int length) {
        StringBuilder text = new StringBuilder(2 + 2 * length).append("0x");
        for (int i = offset; i < offset + length; i++) {
            text.append(HEX[(bytes[i] >> 4) & 0xf]).append(HEX[bytes[i] & 0xf]);
        }
        return text.toString();
    }

    private static boolean printable(byte[] bytes, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            if (bytes[i] < 0x20 || bytes[i] > 0x7e) {
                return false;
            }
        }
        return true;
    }

    private static boolean needsQuotes(String text) {
        if (text.isEmpty() || text.startsWith("0x") || text.startsWith("0X")) {
            return true;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == ' ' || c == '"' || c == '\'' || c == '\\') {
                return true;
            }
        }
        return false;
    }

    private static String quote(String text) {
        StringBuilder quoted = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                quoted.append('\\');
            }
            quoted.append(c);
        }
        return quoted.append('"').toString();
    }

    /**
     * The bytes a command-line argument stands for, in the shell's syntax, so that one key reads
     * the same everywhere: {@code 0x...} (an even number of hex digits) is hex; an argument
     * starting with a quote is one shell token ({@code "0x41"} is the text 0x41, {@code "a\x01"}
     * has escapes, {@code 'a b'} is literal); anything else is its UTF-8 text as it is (spaces
     * included: the command line has split the words already). A bad token is a
     * {@link CliException}.
     */
    static byte[] parseArgument(String argument) {
        if (argument.startsWith("0x") || argument.startsWith("0X")) {
            return parseHex(argument);
        }
        if (argument.startsWith("\"") || argument.startsWith("'")) {
            List<ShellTokens.Token> tokens = ShellTokens.split(argument);
            if (tokens.size() != 1) {
                throw new CliException(ExitCodes.USAGE, "argument " + argument + " is more than one quoted word");
            }
            return tokens.get(0).bytes();
        }
        return argument.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] parseHex(String token) {
        String digits = token.substring(2);
        if (digits.length() % 2 != 0) {
            throw new CliException(ExitCodes.USAGE, "bad hex '" + token + "': odd number of digits");
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(digits.length() / 2);
        for (int i = 0; i < digits.length(); i += 2) {
            int high = Character.digit(digits.charAt(i), 16);
            int low = Character.digit(digits.charAt(i + 1), 16);
            if (high < 0 || low < 0) {
                throw new CliException(ExitCodes.USAGE, "bad hex '" + token + "': '"
                        + digits.substring(i, i + 2) + "' is not a hex byte");
            }
            bytes.write(high << 4 | low);
        }
        return bytes.toByteArray();
    }
}
