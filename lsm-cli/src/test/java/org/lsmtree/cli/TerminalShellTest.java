package org.lsmtree.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.DumbTerminal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lsmtree.engine.Db;
import org.lsmtree.engine.Options;

/**
 * The shell's terminal path (JLine, as a person at a terminal gets it) driven through a dumb
 * virtual terminal: what is typed is what is stored, byte for byte.
 */
class TerminalShellTest {
    @TempDir
    Path temp;

    @Test
    void typedEscapesAndExclamationMarksReachTheStoreUnchanged() throws IOException {
        String typed = String.join("\n",
                "SET nl \"x\\ny\"",
                "SET esc \"k\\x01\"",
                "SET bs \"a\\\\b\"",
                "SET pw abc!1",
                "SET bang !!",
                "EXIT", "");
        Path store = temp.resolve("db");
        ByteArrayOutputStream screen = new ByteArrayOutputStream();
        try (Db db = Db.open(store, Options.defaults());
                Terminal terminal = new DumbTerminal("test", "dumb",
                        new ByteArrayInputStream(typed.getBytes(StandardCharsets.UTF_8)), screen, StandardCharsets.UTF_8);
                LineSource lines = LineSource.terminal(terminal, "lsm> ", temp.resolve("history"))) {
            Shell shell = new Shell(db, new PrintStream(screen, true, StandardCharsets.UTF_8));
            ShellCommand.loop(shell, lines);
            assertThat(db.get(bytes("nl"))).isEqualTo(bytes("x\ny"));
            assertThat(db.get(bytes("esc"))).isEqualTo(new byte[] {'k', 1});
            assertThat(db.get(bytes("bs"))).isEqualTo(bytes("a\\b"));
            assertThat(db.get(bytes("pw"))).isEqualTo(bytes("abc!1"));
            assertThat(db.get(bytes("bang"))).isEqualTo(bytes("!!"));
        }
        assertThat(screen.toString(StandardCharsets.UTF_8)).doesNotContain("ERR");
    }

    @Test
    void ctrlCDuringAScanCancelsItAndTheShellGoesOn() throws IOException {
        Path store = temp.resolve("db");
        String typed = "SCAN\nGET k0005\nEXIT\n";
        ByteArrayOutputStream screen = new ByteArrayOutputStream();
        try (Db db = Db.open(store, Options.defaults());
                Terminal terminal = new DumbTerminal("test", "dumb",
                        new ByteArrayInputStream(typed.getBytes(StandardCharsets.UTF_8)), screen, StandardCharsets.UTF_8);
                LineSource lines = LineSource.terminal(terminal, "lsm> ", temp.resolve("history"))) {
            for (int i = 0; i < 100; i++) {
                db.put(bytes(String.format("k%04d", i)), bytes("v" + i));
            }
            // What the shell prints; the 10th entry line presses Ctrl-C, as a person would mid-scan.
            PrintStream out = new PrintStream(screen, true, StandardCharsets.UTF_8) {
                private int entries;

                @Override
                public void println(String line) {
                    super.println(line);
                    if (line.startsWith("k0") && ++entries == 10) {
                        terminal.raise(Terminal.Signal.INT);
                    }
                }
            };
            Shell shell = new Shell(db, out);
            lines.onInterrupt(shell::interrupt);
            ShellCommand.loop(shell, lines);
        }
        String shown = screen.toString(StandardCharsets.UTF_8);
        assertThat(shown).contains("k0009 = v9\n(10 entries; cancelled)\n").doesNotContain("k0010 =");
        assertThat(shown).contains("lsm> v5\n");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
