package org.lsmtree.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.lsmtree.engine.Db;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code lsm put <dir> <key> <value>}: a durable put; creates the store when missing. The value
 * can come from a file ({@code --value-file}) or standard input ({@code -}) instead of the
 * argument, as they are, byte for byte: a value of megabytes cannot be an argument.
 */
@Command(name = "put", mixinStandardHelpOptions = true, description = {"Set a key to a value, durably (creates the store).",
    "The value: an argument, - for standard input, or --value-file FILE (bytes as they are)."})
final class PutCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "<dir>", description = "The store directory.")
    Path directory;

    @Parameters(index = "1", paramLabel = "<key>", description = "The key; 0x... for hex.")
    String key;

    @Parameters(index = "2", arity = "0..1", paramLabel = "<value>",
            description = "The value; 0x... for hex; - reads it from standard input.")
    String value;

    @Option(names = "--value-file", paramLabel = "<file>", description = "Read the value from this file.")
    Path valueFile;

    @Mixin
    StoreOptions storeOptions;

    private final Context context;

    PutCommand(Context context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        byte[] keyBytes = ByteText.parseArgument(key);
        if ((value == null) == (valueFile == null)) {
            throw new CliException(ExitCodes.USAGE, "give the value as an argument (- for standard input) or with"
                    + " --value-file, once");
        }
        byte[] valueBytes;
        if (valueFile != null) {
            InputFile.requireRegular(valueFile);
            valueBytes = Files.readAllBytes(valueFile);
        } else if (value.equals("-")) {
            valueBytes = context.in().readAllBytes();
        } else {
            valueBytes = ByteText.parseArgument(value);
        }
        try (Db db = StoreAccess.open(directory, true, storeOptions)) {
            db.put(keyBytes, valueBytes);
        }
        context.out().println("OK");
        return ExitCodes.OK;
    }
}
