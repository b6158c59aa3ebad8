package org.lsmtree.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.lsmtree.engine.Db;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code lsm shell <dir>}: opens (creating when missing) the store and runs {@link Shell} over
 * the terminal with JLine, or over piped input line by line without prompt or banner.
 */
@Command(name = "shell", mixinStandardHelpOptions = true,
        description = {"A shell over the store in <dir> (created when missing).",
            "Commands: SET GET DEL SCAN FLUSH COMPACT STATS HELP EXIT; type HELP in the shell."})
final class ShellCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "<dir>", description = "The store directory.")
    Path directory;

    @Mixin
    StoreOptions storeOptions;

    private final Context context;

    ShellCommand(Context context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        boolean created = StoreAccess.wouldCreate(directory);
        try (Db db = StoreAccess.open(directory, true, storeOptions);
                LineSource lines = context.terminal() ? LineSource.terminal("lsm> ") : LineSource.piped(context.in())) {
            if (context.terminal()) {
                context.out().println((created ? "created new store " : "lsm shell on ") + directory
                        + " (HELP for commands, EXIT or Ctrl-D to leave)");
            } else if (created) {
                context.err().println("lsm: created new store " + directory);
            }
            Shell shell = new Shell(db, context.out());
            lines.onInterrupt(shell::interrupt);
            loop(shell, lines);
        }
        return ExitCodes.OK;
    }

    /** Runs {@code shell} over every line of {@code lines} until the end of input or EXIT. */
    static void loop(Shell shell, LineSource lines) throws java.io.IOException {
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            if (!shell.execute(line)) {
                break;
            }
        }
    }
}
