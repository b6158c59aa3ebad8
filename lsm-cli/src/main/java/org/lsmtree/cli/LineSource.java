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
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * Where the shell's lines come from: JLine on a terminal (line editing, history kept in
 * {@code ~/.lsm_history}, Ctrl-C clears the line, Ctrl-D leaves), or plain lines from piped input
 * (no prompt). Either way the line is returned as typed: JLine's history expansion ({@code !})
 * and escape handling are off, so the shell's own tokenizer sees the same text on a terminal as
 * from a pipe. Not thread-safe.
 */
interface LineSource extends Closeable {
    /** The next line, or null at the end of input. */
    String readLine() throws IOException;

    /**
     * Calls {@code handler} on Ctrl-C while no line is being read (a command runs). At the prompt
     * Ctrl-C clears the line instead. Piped input has no Ctrl-C of its own: nothing to do.
     */
    default void onInterrupt(Runnable handler) {}

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

    /** The process's terminal, through JLine, with {@code prompt}; history in {@code ~/.lsm_history}. */
    static LineSource terminal(String prompt) throws IOException {
        return terminal(TerminalBuilder.builder().system(true).build(), prompt,
                Path.of(System.getProperty("user.home"), ".lsm_history"));
    }

    /** {@code terminal} through JLine, with {@code prompt} and history kept in {@code history}; closes the terminal. */
    static LineSource terminal(Terminal terminal, String prompt, Path history) {
        // The line goes to ShellTokens exactly as typed: no history expansion (! and \ are data),
        // and a parser that neither strips escapes nor waits for a closing quote.
        DefaultParser raw = new DefaultParser();
        raw.setEscapeChars(new char[0]);
        raw.setQuoteChars(new char[0]);
        LineReader reader = LineReaderBuilder.builder().terminal(terminal).parser(raw)
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
                .variable(LineReader.HISTORY_FILE, history)
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
            public void onInterrupt(Runnable handler) {
                // JLine puts its own handler in place while reading a line and restores this one after.
                terminal.handle(Terminal.Signal.INT, signal -> handler.run());
            }

            @Override
            public void close() throws IOException {
                reader.getHistory().save();
                terminal.close();
            }
        };
    }
}
