package org.lsmtree.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.concurrent.Callable;
import org.lsmtree.format.CorruptionException;
import org.lsmtree.format.FileType;
import org.lsmtree.format.iterator.InternalIterator;
import org.lsmtree.format.storage.NioStorage;
import org.lsmtree.format.storage.Storage;
import org.lsmtree.sstable.TableLayout;
import org.lsmtree.sstable.TableOptions;
import org.lsmtree.sstable.TableReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code lsm sst dump <file>}: the entries of a table (internal keys: user key, sequence, type),
 * or with {@code --layout}, {@code --index}, {@code --properties} the blocks, the index and the
 * properties. Checksums of data blocks are verified while dumping entries; the first damaged
 * block ends the dump with a one-line error (exit 3) after the entries before it.
 */
@Command(name = "dump", mixinStandardHelpOptions = true,
        description = {"Print a table's entries, or its block layout, index or properties.",
            "With none of --layout, --index, --properties the entries are printed."})
final class SstDumpCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "<file>", description = "A table file (NNNNNN.ldb or NNNNNN.sst).")
    Path file;

    @Option(names = "--layout", description = "Every block: offset, size, compression, checksum.")
    boolean layout;

    @Option(names = "--index", description = "The index block: each data block's separator key and handle.")
    boolean index;

    @Option(names = "--properties", description = "What the table says and what is counted about it.")
    boolean properties;

    @Option(names = "--entries", description = "The entries (the default when no other section is asked for).")
    boolean entries;

    @Mixin
    InspectOptions options;

    private final Context context;

    SstDumpCommand(Context context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        InputFile.check(file, "sst dump", EnumSet.of(FileType.TABLE, FileType.LEGACY_TABLE));
        Storage storage = NioStorage.onDefaultFileSystem();
        boolean showEntries = entries || !(layout || index || properties);
        Json.Obj json = Json.obj().put("file", file.toString());
        TableLayout tableLayout = TableLayout.read(storage, file);
        SstSections sections = new SstSections(tableLayout, options.hex, context.out(), options.json);
        int exit = ExitCodes.OK;
        if (layout) {
            json.put("layout", sections.layout());
            if (tableLayout.dataBlocks().stream().anyMatch(b -> !b.checksumOk())
                    || tableLayout.metaBlocks().stream().anyMatch(b -> !b.checksumOk())) {
                exit = ExitCodes.DAMAGE;
            }
        }
        if (index) {
            json.put("index", sections.index());
        }
        try (TableReader table = TableReader.open(storage, file, TableOptions.defaults())) {
            if (properties) {
                json.put("properties", sections.properties(table.properties().orElse(null), table.hasFilter()));
            }
            if (showEntries) {
                Json.Arr list = Json.arr();
                json.put("entries", list);
                try {
                    dumpEntries(table, list);
                } catch (CorruptionException e) {
                    json.put("error", Failures.corruption(e));
                    exit = ExitCodes.DAMAGE;
                    if (!options.json) {
                        context.out().flush();
                        context.err().println("lsm: " + Failures.corruption(e));
                    }
                }
            }
        }
        if (options.json) {
            context.out().println(json);
        }
        return exit;
    }

    private void dumpEntries(TableReader table, Json.Arr list) throws IOException {
        long count = 0;
        Progress progress = Progress.start(context, "sst dump", table.fileSize());
        try (InternalIterator iterator = table.iterator(true)) {
            for (iterator.seekToFirst(); iterator.isValid(); iterator.next()) {
                byte[] key = iterator.key();
                String value = ByteText.render(iterator.value(), options.hex);
                if (options.json) {
                    list.add(InternalKeyText.json(key, options.hex).put("value", value));
                } else {
                    context.out().println(InternalKeyText.render(key, options.hex) + " => " + value);
                }
                if (++count % 1024 == 0) {
                    progress.update(table.approximateOffsetOf(key));
                }
            }
        } finally {
            progress.done();
        }
        if (!options.json) {
            context.out().println("-- " + count + (count == 1 ? " entry" : " entries"));
        }
    }
}
