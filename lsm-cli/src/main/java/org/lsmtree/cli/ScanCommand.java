package org.lsmtree.cli;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.lsmtree.engine.Db;
import org.lsmtree.format.CorruptionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code lsm scan <dir> [from] [to] [--limit N]}: the entries in {@code [from, to)}, in key order,
 * on standard output; the count line on standard error.
 */
@Command(name = "scan", mixinStandardHelpOptions = true,
        description = "Print the entries with from <= key < to, in key order.")
final class ScanCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "<dir>", description = "The store directory.")
    Path directory;

    @Parameters(index = "1", arity = "0..1", paramLabel = "<from>", description = "First key (inclusive); 0x... for hex.")
    String from;

    @Parameters(index = "2", arity = "0..1", paramLabel = "<to>", description = "End key (exclusive); 0x... for hex.")
    String to;

    @Option(names = "--limit", defaultValue = "1000",
            description = "At most this many entries (default ${DEFAULT-VALUE}; 0: no limit).")
    long limit;

    @Option(names = "--hex", description = "Print keys and values as hex even when printable.")
    boolean hex;

    @Option(names = "--utf8", description = "Print keys and values that are valid UTF-8 as text (not only ASCII).")
    boolean utf8;

    @Option(names = "--prefix", paramLabel = "<key>", description = "Only keys starting with these bytes.")
    String prefix;

    @Option(names = "--keys-only", description = "Print the keys alone.")
    boolean keysOnly;

    @Option(names = "--count", description = "Print only how many entries there are (with --limit 0: all).")
    boolean count;

    @Option(names = "--raw", description = {"Print the bytes as they are (key TAB value, a newline after each),",
        "for pipes; no quoting, no hex."})
    boolean raw;

    @Mixin
    StoreOptions storeOptions;

    private final Context context;

    ScanCommand(Context context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        if (limit < 0) {
            throw new CliException(ExitCodes.USAGE, "--limit must not be negative");
        }
        byte[] start = from == null ? null : ByteText.parseArgument(from);
        byte[] end = to == null ? null : ByteText.parseArgument(to);
        byte[] under = prefix == null ? null : ByteText.parseArgument(prefix);
        if (raw && (hex || utf8)) {
            throw new CliException(ExitCodes.USAGE, "--raw prints bytes as they are; it does not go with --hex or --utf8");
        }
        Optional<String> foreign = StoreComparator.foreign(directory);
        if (foreign.isPresent()) {
            if (start != null || end != null || under != null || raw || keysOnly || count || utf8) {
                throw new CliException(ExitCodes.USAGE, directory + ": ordered by the comparator '"
                        + EditText.name(foreign.get()) + "': only a whole scan in file order is possible (--limit, --hex)");
            }
            ForeignFormats.checkDirectory(directory);
            InputFile.requireRegularStoreFiles(directory);
            return FileOrderScan.run(context, directory, foreign.get(), limit, hex);
        }
        try (Db db = StoreAccess.openReadOnly(directory, storeOptions)) {
            // The count line goes to standard error: standard output holds the entries alone, for pipes.
            Scan.run(db, start, end, under, limit, new Scan.Format(hex, utf8, keysOnly, raw, count), context.out(),
                    context.err(), () -> false);
        } catch (CorruptionException e) {
            throw StoreAccess.explain(directory, e);
        }
        return ExitCodes.OK;
    }
}
