package org.lsmtree.cli;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * Where the shell's lines come from: JLine on a terminal (line editing, history kept in
 * {@code ~/.lsm_history}, Ctrl-C clears the line, Ctrl-D leaves), or plain lines from piped input
 * (no prompt). Not thread-safe.
 */
interface LineSource extends Closeable {
    /** The next line, or null at the end of input. */
    String readLine() throws IOException;

    /** Piped input: one line at a time, UTF-8, no prompt. */
    static LineSource piped(InputStream in) {
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        return new LineSource() {
            @Override
            public String readLine() throws IOException {
                return reader.readLine();
            }

            @Override
            public void close() {
                // the caller owns the stream
            }
        };
    }

    /** The terminal, through JLine, with {@code prompt}. */
    static LineSource terminal(String prompt) throws IOException {
        Terminal terminal = TerminalBuilder.builder().system(true).build();
        LineReader reader = LineReaderBuilder.builder().terminal(terminal)
                .variable(LineReader.HISTORY_FILE, Path.of(System.getProperty("user.home"), ".lsm_history"))
                .build();
        return new LineSource() {
            @Override
            public String readLine() {
                while (true) {
                    try {
                        return reader.readLine(prompt);
                    } catch (UserInterruptException e) {
                        continue; // Ctrl-C: drop the line, ask again
                    } catch (EndOfFileException e) {
                        return null;
                    }
                }
            }

            @Override
            public void close() throws IOException {
                reader.getHistory().save();
                terminal.close();
            }
        };
    }
}
