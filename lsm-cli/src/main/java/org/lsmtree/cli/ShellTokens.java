package org.lsmtree.cli;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a shell line into arguments. Whitespace separates them; {@code "..."} quotes with
 * backslash escapes ({@code \" \\ \n \t \xHH}); {@code '...'} quotes literally; a bare token
 * starting with {@code 0x} is hex. A quoted {@code "0x41"} is the four characters. A malformed
 * line (an open quote, a bad escape, bad hex) is a {@link CliException} saying what is wrong.
 * Stateless.
 */
final class ShellTokens {
    private ShellTokens() {}

    /** One argument: its bytes, and how it was written (for command names). */
    record Token(byte[] bytes, String text, boolean quoted) {}

    static List<Token> split(String line) {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        int n = line.length();
        while (i < n) {
            char c = line.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            StringBuilder text = new StringBuilder();
            boolean quoted = false;
            while (i < n && !Character.isWhitespace(line.charAt(i))) {
                char d = line.charAt(i);
                if (d == '"' || d == '\'') {
                    quoted = true;
                    i = quotedPart(line, i, bytes, text);
                } else {
                    append(bytes, text, String.valueOf(d));
                    i++;
                }
            }
            String word = text.toString();
            if (!quoted && (word.startsWith("0x") || word.startsWith("0X"))) {
                tokens.add(new Token(ByteText.parseHex(word), word, false));
            } else {
                tokens.add(new Token(bytes.toByteArray(), word, quoted));
            }
        }
        return tokens;
    }

    /** Reads the quoted part starting at {@code start} (the quote); returns the index after it. */
    private static int quotedPart(String line, int start, ByteArrayOutputStream bytes, StringBuilder text) {
        char quote = line.charAt(start);
        int i = start + 1;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == quote) {
                return i + 1;
            }
            if (c == '\\' && quote == '"') {
                i = escape(line, i, bytes, text);
                continue;
            }
            append(bytes, text, String.valueOf(c));
            i++;
        }
        throw new CliException(ExitCodes.USAGE, "unterminated " + (quote == '"' ? "double" : "single")
                + " quote at column " + (start + 1));
    }

    private static int escape(String line, int at, ByteArrayOutputStream bytes, StringBuilder text) {
        if (at + 1 >= line.length()) {
            throw new CliException(ExitCodes.USAGE, "backslash at the end of the line");
        }
        char e = line.charAt(at + 1);
        switch (e) {
            case '"', '\\' -> append(bytes, text, String.valueOf(e));
            case 'n' -> append(bytes, text, "\n");
            case 't' -> append(bytes, text, "\t");
            case 'x' -> {
                if (at + 4 > line.length()) {
                    throw new CliException(ExitCodes.USAGE, "\\x needs two hex digits at column " + (at + 1));
                }
                int high = Character.digit(line.charAt(at + 2), 16);
                int low = Character.digit(line.charAt(at + 3), 16);
                if (high < 0 || low < 0) {
                    throw new CliException(ExitCodes.USAGE, "\\x needs two hex digits at column " + (at + 1));
                }
                bytes.write(high << 4 | low);
                text.append('?');
                return at + 4;
            }
            default -> throw new CliException(ExitCodes.USAGE, "unknown escape \\" + e + " at column " + (at + 1));
        }
        return at + 2;
    }

    private static void append(ByteArrayOutputStream bytes, StringBuilder text, String s) {
        bytes.writeBytes(s.getBytes(StandardCharsets.UTF_8));
        text.append(s);
    }
}
