package org.lsmtree.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.lsmtree.engine.Db;
import org.lsmtree.format.CorruptionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code lsm dump <dir>}: every live entry of a store (or those in {@code [--from, --to)} or
 * under {@code --prefix}) as {@code key TAB value} lines, which {@code lsm load} reads back
 * exactly; the count goes to standard error. Opens the store read-only. Entries are written as
 * they are read.
 */
@Command(name = "dump", mixinStandardHelpOptions = true,
        description = {"Write a store's entries as key TAB value lines, in the format `lsm load` reads.",
            "Keys and values round-trip exactly (binary ones as 0x hex)."})
final class DumpCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "<dir>", description = "The store directory.")
    Path directory;

    @Option(names = "--from", paramLabel = "<key>", description = "First key (inclusive).")
    String from;

    @Option(names = "--to", paramLabel = "<key>", description = "End key (exclusive).")
    String to;

    @Option(names = "--prefix", paramLabel = "<key>", description = "Only keys starting with these bytes.")
    String prefix;

    @Option(names = "--encoding", paramLabel = "<enc>", defaultValue = "lsm",
            description = "How keys and values are written: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
    RecordFormat encoding;

    @Option(names = "--json", description = "Write the entries as JSON (keys and values in the lsm syntax).")
    boolean json;

    @Mixin
    StoreOptions storeOptions;

    private final Context context;

    DumpCommand(Context context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        byte[] start = from == null ? null : ByteText.parseArgument(from);
        byte[] end = to == null ? null : ByteText.parseArgument(to);
        byte[] under = prefix == null ? null : ByteText.parseArgument(prefix);
        if (encoding == RecordFormat.text) {
            throw new CliException(ExitCodes.USAGE, "--encoding text cannot be dumped exactly (a key may hold a tab"
                    + " or a newline); use lsm, hex or base64");
        }
        JsonStream stream = json ? new JsonStream(context.out()) : null;
        if (stream != null) {
            stream.beginObject();
            stream.field("directory", directory.toString());
            stream.beginArray("entries");
        }
        long[] count = {0};
        try (Db db = StoreAccess.openReadOnly(directory, storeOptions)) {
            Scan.forEach(db, start, end, under, (key, value) -> {
                if (stream != null) {
                    stream.item(Json.obj().put("key", ByteText.render(key, false))
                            .put("value", ByteText.render(value.get(), false)));
                } else {
                    context.out().println(encoding.line(key, value.get()));
                }
                count[0]++;
                return true;
            });
        } catch (CorruptionException e) {
            throw StoreAccess.explain(directory, e);
        }
        if (stream != null) {
            stream.endArray();
            stream.field("count", count[0]);
            stream.endObject();
        } else {
            context.err().println("(" + Words.count(count[0], "entry", "entries") + ")");
        }
        return ExitCodes.OK;
    }
}
