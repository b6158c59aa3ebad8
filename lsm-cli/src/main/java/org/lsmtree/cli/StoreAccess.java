package org.lsmtree.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.lsmtree.engine.Db;
import org.lsmtree.engine.Options;

/** Opens the store of a one-shot command or the shell, with the CLI's defaults. Stateless. */
final class StoreAccess {
    private StoreAccess() {}

    /**
     * Opens the store in {@code directory}; creates it only when {@code create} (the shell and
     * {@code put}); reading commands on a directory with no store fail instead of making one.
     */
    static Db open(Path directory, boolean create) throws IOException {
        if (!create && !Files.exists(directory.resolve("CURRENT"))) {
            throw new CliException(ExitCodes.USAGE, directory + ": no store here (no CURRENT file)");
        }
        if (Files.exists(directory) && !Files.isDirectory(directory)) {
            throw new CliException(ExitCodes.USAGE, directory + ": not a directory");
        }
        return Db.open(directory, Options.defaults().withCreateIfMissing(create));
    }

    /**
     * Opens the store in {@code directory} for reading only ({@code get}, {@code scan}): nothing on
     * disk changes, so these commands can look into a LevelDB store found as it is.
     */
    static Db openReadOnly(Path directory) throws IOException {
        if (!Files.exists(directory.resolve("CURRENT"))) {
            throw new CliException(ExitCodes.USAGE, directory + ": no store here (no CURRENT file)");
        }
        return Db.openReadOnly(directory, Options.defaults());
    }
}
