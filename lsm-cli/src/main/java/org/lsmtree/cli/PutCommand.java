package org.lsmtree.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.lsmtree.engine.Db;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code lsm put <dir> <key> <value>}: a durable put; creates the store when missing. */
@Command(name = "put", mixinStandardHelpOptions = true, description = "Set a key to a value, durably (creates the store).")
final class PutCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "<dir>", description = "The store directory.")
    Path directory;

    @Parameters(index = "1", paramLabel = "<key>", description = "The key; 0x... for hex.")
    String key;

    @Parameters(index = "2", paramLabel = "<value>", description = "The value; 0x... for hex.")
    String value;

    @Mixin
    StoreOptions storeOptions;

    private final Context context;

    PutCommand(Context context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        byte[] keyBytes = ByteText.parseArgument(key);
        byte[] valueBytes = ByteText.parseArgument(value);
        try (Db db = StoreAccess.open(directory, true, storeOptions)) {
            db.put(keyBytes, valueBytes);
        }
        context.out().println("OK");
        return ExitCodes.OK;
    }
}
