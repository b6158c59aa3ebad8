package org.lsmtree.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.lsmtree.format.FileNames;
import org.lsmtree.format.storage.NioStorage;
import org.lsmtree.format.storage.Storage;
import org.lsmtree.format.storage.StorageLock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code lsm repair <dir>}: rebuilds the store's MANIFEST from its tables and WALs as LevelDB's
 * {@code RepairDB} does ({@link Repair}), under the store's lock. Prints what was done and what
 * was lost; exit 0 when nothing was lost, 3 when the store is repaired but data was lost. The
 * files it replaces are kept in {@code lost/}.
 */
@Command(name = "repair", mixinStandardHelpOptions = true,
        description = {"Rebuild a store's MANIFEST from its tables and WALs (as LevelDB's RepairDB), salvaging what",
            "checksums allow; replaced files go to lost/. Exit 3 when data was lost."})
final class RepairCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "<dir>", description = "The store directory.")
    Path directory;

    @Option(names = "--json", description = "Write what was done and lost as JSON.")
    boolean json;

    private final Context context;

    RepairCommand(Context context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        StoreAccess.requireStoreDirectory(directory);
        Storage storage = NioStorage.onDefaultFileSystem();
        boolean anyStoreFile = storage.list(directory).stream().anyMatch(f -> FileNames.parse(f).isPresent());
        if (!anyStoreFile) {
            throw new CliException(ExitCodes.USAGE, directory + ": no store files here (no tables, logs or MANIFEST)");
        }
        Repair.Outcome outcome;
        try (StorageLock lock = storage.lock(FileNames.lockFile(directory))) {
            outcome = new Repair(storage, directory).run();
        }
        if (json) {
            Json.Arr actions = Json.arr();
            outcome.actions().forEach(actions::add);
            Json.Arr losses = Json.arr();
            outcome.losses().forEach(losses::add);
            context.out().println(Json.obj().put("directory", directory.toString()).put("manifest", outcome.manifest())
                    .put("tables", outcome.tables()).put("lastSequence", outcome.lastSequence()).put("actions", actions)
                    .put("losses", losses));
        } else {
            outcome.actions().forEach(line -> context.out().println(line));
            outcome.losses().forEach(line -> context.out().println("LOST " + line));
            context.out().println("-- repaired: " + Words.count(outcome.tables(), "table", "tables") + " in "
                    + outcome.manifest() + ", " + Words.count(outcome.losses().size(), "loss", "losses")
                    + "; replaced files are in " + directory.resolve("lost"));
        }
        return outcome.losses().isEmpty() ? ExitCodes.OK : ExitCodes.DAMAGE;
    }
}
