package org.lsmtree.cli;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * The line format {@code lsm dump} writes and {@code lsm load} reads: {@code key TAB value}, one
 * entry a line, each field in an encoding; {@code load} also takes the shell's lines
 * ({@code SET key value}, {@code DEL key}). Encodings: {@code lsm} (the default: the key syntax of
 * every {@code lsm} command, printable ASCII as text, quoted when it needs it, anything else
 * {@code 0x} hex, so binary keys and values round-trip exactly), {@code hex} (bare hex digits),
 * {@code base64} (standard), {@code text} (the field's UTF-8 bytes as they are: no tab or newline
 * can be in one). Stateless.
 */
enum RecordFormat {
    lsm, hex, base64, text;

    /** One line's operation: a put (value non-null) or a delete (value null). */
    record Op(byte[] key, byte[] value) {}

    String encode(byte[] bytes) {
        return switch (this) {
            case lsm -> ByteText.render(bytes, false);
            case hex -> ByteText.hex(bytes, 0, bytes.length).substring(2);
            case base64 -> Base64.getEncoder().encodeToString(bytes);
            case text -> new String(bytes, StandardCharsets.UTF_8);
        };
    }

    byte[] decode(String field) {
        return switch (this) {
            case lsm -> ByteText.parseArgument(field);
            case hex -> ByteText.parseHex(field.startsWith("0x") || field.startsWith("0X") ? field : "0x" + field);
            case base64 -> {
                try {
                    yield Base64.getDecoder().decode(field);
                } catch (IllegalArgumentException e) {
                    throw new CliException(ExitCodes.USAGE, "bad base64 '" + Words.cut(field, 40) + "': " + e.getMessage());
                }
            }
            case text -> field.getBytes(StandardCharsets.UTF_8);
        };
    }

    /** The line {@code lsm dump} writes for an entry. */
    String line(byte[] key, byte[] value) {
        return encode(key) + '\t' + encode(value);
    }

    /**
     * The operation of one input line, or null for a blank line or a {@code #} comment. A line
     * with a tab is {@code key TAB value} in this encoding; otherwise it must be a shell line
     * ({@code SET k v}, {@code PUT k v}, {@code DEL k}) in the shell's syntax.
     */
    Op parse(String line) {
        int tab = line.indexOf('\t');
        if (tab >= 0) {
            if (line.indexOf('\t', tab + 1) >= 0) {
                throw new CliException(ExitCodes.USAGE, "more than one tab (expected key TAB value)");
            }
            return new Op(decode(line.substring(0, tab)), decode(line.substring(tab + 1)));
        }
        String trimmed = line.strip();
        if (trimmed.isEmpty() || trimmed.startsWith("#")) {
            return null;
        }
        List<ShellTokens.Token> tokens = ShellTokens.split(trimmed);
        String command = tokens.get(0).text().toUpperCase(java.util.Locale.ROOT);
        if ((command.equals("SET") || command.equals("PUT")) && tokens.size() == 3) {
            return new Op(tokens.get(1).bytes(), tokens.get(2).bytes());
        }
        if ((command.equals("DEL") || command.equals("DELETE")) && tokens.size() == 2) {
            return new Op(tokens.get(1).bytes(), null);
        }
        throw new CliException(ExitCodes.USAGE, "neither key TAB value nor SET key value / DEL key");
    }
}
