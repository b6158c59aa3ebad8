package org.lsmtree.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.lsmtree.engine.Db;
import org.lsmtree.format.CorruptionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lsm get <dir> <key>}: prints the value, or exits 1 when the key is absent. */
@Command(name = "get", mixinStandardHelpOptions = true, description = {"Print the value of a key (exit 1 when absent).",
            "Printable values print as they are, others as 0x... hex."})
final class GetCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "<dir>", description = "The store directory.")
    Path directory;

    @Parameters(index = "1", paramLabel = "<key>", description = "The key; 0x... for hex.")
    String key;

    @Option(names = "--hex", description = "Print the value as hex even when printable.")
    boolean hex;

    @Option(names = "--raw", description = "Print the value's bytes as they are, with no newline after them.")
    boolean raw;

    @Mixin
    StoreOptions storeOptions;

    private final Context context;

    GetCommand(Context context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        try (Db db = StoreAccess.openReadOnly(directory, storeOptions)) {
            byte[] value = db.get(ByteText.parseArgument(key));
            if (value == null) {
                context.err().println("lsm: " + key + ": not found");
                return ExitCodes.NOT_FOUND;
            }
            if (raw) {
                context.out().write(value, 0, value.length);
                context.out().flush();
            } else {
                context.out().println(ByteText.plain(value, hex));
            }
            return ExitCodes.OK;
        } catch (CorruptionException e) {
            throw StoreAccess.explain(directory, e);
        }
    }
}
