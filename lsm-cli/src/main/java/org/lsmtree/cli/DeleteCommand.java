package org.lsmtree.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.lsmtree.engine.Db;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code lsm delete <dir> <key>}: a durable delete (deleting an absent key is fine). */
@Command(name = "delete", aliases = "del", mixinStandardHelpOptions = true, description = "Delete a key, durably.")
final class DeleteCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "<dir>", description = "The store directory.")
    Path directory;

    @Parameters(index = "1", paramLabel = "<key>", description = "The key; 0x... for hex.")
    String key;

    @Mixin
    StoreOptions storeOptions;

    private final Context context;

    DeleteCommand(Context context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        byte[] keyBytes = ByteText.parseArgument(key);
        try (Db db = StoreAccess.open(directory, false, storeOptions)) {
            db.delete(keyBytes);
        }
        context.out().println("OK");
        return ExitCodes.OK;
    }
}
