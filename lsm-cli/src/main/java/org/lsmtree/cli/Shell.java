package org.lsmtree.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import org.lsmtree.engine.Db;

/**
 * The interpreter behind {@code lsm shell}: one line in, its answer out. Commands are
 * case-insensitive; a line that fails (bad syntax, a wrong number of arguments, an error from the
 * store) prints one {@code ERR} line and the shell goes on. Writes are durable when {@code OK} is
 * printed (the engine syncs the WAL before {@code put}/{@code delete} return). Not thread-safe,
 * apart from {@link #interrupt()}.
 */
final class Shell {
    static final String HELP = String.join("\n",
            "SET <key> <value>          set a key (durable when OK is printed)",
            "GET <key>                  print the value, or (nil)",
            "DEL <key>                  delete a key",
            "SCAN [from] [to] [limit]   entries with from <= key < to (\"\" for an open end), at most limit (100; 0: all)",
            "FLUSH                      write the memtable to a table",
            "COMPACT                    compact the whole key range",
            "STATS                      the store's levels and counters",
            "HELP                       this text",
            "EXIT                       leave (also QUIT, or end of input)",
            "Quote with \"...\" (escapes \\\" \\\\ \\n \\t \\xHH) or '...'; a bare 0x... is hex.");
    private static final long DEFAULT_SCAN_LIMIT = 100;

    private final Db db;
    private final PrintStream out;
    private final AtomicBoolean interrupted = new AtomicBoolean();
    private long errors;

    Shell(Db db, PrintStream out) {
        this.db = db;
        this.out = out;
    }

    /** How many lines failed so far. */
    long errors() {
        return errors;
    }

    /**
     * Asks the running command to stop (Ctrl-C while it runs; any thread may call this). A
     * {@code SCAN} stops before its next entry and says it was cancelled; the shell goes on. The
     * request lasts until the next line starts.
     */
    void interrupt() {
        interrupted.set(true);
    }

    /** Runs one line; false when it asks to leave. */
    boolean execute(String line) {
        interrupted.set(false);
        String trimmed = line.strip();
        if (trimmed.isEmpty() || trimmed.startsWith("#")) {
            return true;
        }
        try {
            List<ShellTokens.Token> tokens = ShellTokens.split(trimmed);
            return run(tokens.get(0).text().toUpperCase(Locale.ROOT), tokens.subList(1, tokens.size()));
        } catch (CliException | IOException | IllegalStateException | IllegalArgumentException e) {
            errors++;
            out.println("ERR " + Failures.describe(e));
            return true;
        }
    }

    private boolean run(String command, List<ShellTokens.Token> args) throws IOException {
        switch (command) {
            case "SET", "PUT" -> {
                expect(command, args, 2, 2, "SET <key> <value>");
                db.put(args.get(0).bytes(), args.get(1).bytes());
                out.println("OK");
            }
            case "GET" -> {
                expect(command, args, 1, 1, "GET <key>");
                byte[] value = db.get(args.get(0).bytes());
                out.println(value == null ? "(nil)" : ByteText.render(value, false));
            }
            case "DEL", "DELETE" -> {
                expect(command, args, 1, 1, "DEL <key>");
                db.delete(args.get(0).bytes());
                out.println("OK");
            }
            case "SCAN" -> scan(args);
            case "FLUSH" -> {
                expect(command, args, 0, 0, "FLUSH");
                db.flush();
                out.println("OK");
            }
            case "COMPACT" -> {
                expect(command, args, 0, 0, "COMPACT");
                db.compactRange(null, null);
                out.println("OK");
            }
            case "STATS" -> {
                expect(command, args, 0, 0, "STATS");
                out.println(db.property("lsm.stats").stripTrailing());
            }
            case "HELP", "?" -> out.println(HELP);
            case "EXIT", "QUIT" -> {
                return false;
            }
            default -> throw new CliException(ExitCodes.USAGE, "unknown command '" + command + "' (try HELP)");
        }
        return true;
    }

    private void scan(List<ShellTokens.Token> args) throws IOException {
        expect("SCAN", args, 0, 3, "SCAN [from] [to] [limit]");
        byte[] from = args.size() > 0 && args.get(0).bytes().length > 0 ? args.get(0).bytes() : null;
        byte[] to = args.size() > 1 && args.get(1).bytes().length > 0 ? args.get(1).bytes() : null;
        long limit = DEFAULT_SCAN_LIMIT;
        if (args.size() > 2) {
            try {
                limit = Long.parseLong(args.get(2).text());
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 0) {
                throw new CliException(ExitCodes.USAGE, "SCAN limit '" + args.get(2).text() + "' is not a count");
            }
        }
        Scan.run(db, from, to, null, limit, Scan.Format.DEFAULT, out, out, interrupted::get);
    }

    private static void expect(String command, List<ShellTokens.Token> args, int min, int max, String usage) {
        if (args.size() < min || args.size() > max) {
            throw new CliException(ExitCodes.USAGE, command + " takes " + (min == max ? String.valueOf(min)
                    : min + " to " + max) + " argument" + (max == 1 ? "" : "s") + ", got " + args.size()
                    + " (usage: " + usage + ")");
        }
    }
}
