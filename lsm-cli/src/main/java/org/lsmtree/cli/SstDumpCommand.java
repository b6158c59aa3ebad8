package org.lsmtree.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.Callable;
import org.lsmtree.format.CorruptionException;
import org.lsmtree.format.FileType;
import org.lsmtree.format.iterator.InternalIterator;
import org.lsmtree.format.storage.NioStorage;
import org.lsmtree.format.storage.Storage;
import org.lsmtree.sstable.TableLayout;
import org.lsmtree.sstable.TableOptions;
import org.lsmtree.sstable.TableProperties;
import org.lsmtree.sstable.TableReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code lsm sst dump <file>}: the entries of a table (internal keys: user key, sequence, type),
 * or with {@code --layout}, {@code --index}, {@code --properties} the blocks, the index and the
 * properties. Checksums of data blocks are verified while dumping entries; a damaged block is
 * reported where met and the dump goes on with the next block ({@link BlockByBlock}), exit 3.
 * Entries are written as they are read, in text and in JSON, so a table of any size is dumped
 * in the memory of one block.
 */
@Command(name = "dump", mixinStandardHelpOptions = true,
        description = {"Print a table's entries, or its block layout, index or properties.",
            "With none of --layout, --index, --properties the entries are printed."})
final class SstDumpCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "<file>",
            description = "Table files (NNNNNN.ldb or NNNNNN.sst), or directories of them.")
    List<Path> files;

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
        return MultiFile.run(context, files, EnumSet.of(FileType.TABLE, FileType.LEGACY_TABLE), options.json, this::dump);
    }

    /** Dumps one file, its JSON object to {@code json} (null: text); returns the exit code. */
    private int dump(Path file, JsonStream json) throws Exception {
        InputFile.check(file, "sst dump", EnumSet.of(FileType.TABLE, FileType.LEGACY_TABLE));
        ForeignFormats.checkTable(file);
        Storage storage = NioStorage.onDefaultFileSystem();
        boolean showEntries = entries || !(layout || index || properties);
        TableLayout tableLayout = TableLayout.read(storage, file);
        SstSections sections = new SstSections(tableLayout, options.hex, context.out(), options.json);
        Problems problems = new Problems(context.out(), options.json);
        if (json != null) {
            json.beginObject();
            json.field("file", file.toString());
        }
        if (layout) {
            Json.Obj section = sections.layout();
            if (json != null) {
                json.field("layout", section);
            }
            for (TableLayout.BlockInfo block : tableLayout.dataBlocks()) {
                if (!block.checksumOk()) {
                    problems.silent(block.offset(), "BAD_BLOCK", "data block at " + block.offset() + ": checksum mismatch");
                }
            }
            tableLayout.metaBlocks().stream().filter(b -> !b.checksumOk()).forEach(b -> problems.silent(b.offset(),
                    "BAD_BLOCK", b.kind() + " block at " + b.offset() + ": checksum mismatch"));
        }
        if (index) {
            Json.Arr section = sections.index();
            if (json != null) {
                json.field("index", section);
            }
        }
        try (TableReader table = TableReader.open(storage, file, TableOptions.defaults())) {
            if (properties) {
                TableProperties recorded = table.properties().orElse(null);
                Json.Obj section = sections.properties(recorded, table.hasFilter(),
                        recorded == null ? TableCounts.read(table, tableLayout.indexEntries()) : null);
                if (json != null) {
                    json.field("properties", section);
                }
            }
            if (showEntries) {
                if (json != null) {
                    json.beginArray("entries");
                }
                long count = dumpEntries(table, tableLayout.indexEntries(), json, problems);
                if (json != null) {
                    json.endArray();
                } else {
                    context.out().println("-- " + Words.count(count, "entry", "entries")
                            + (problems.count() == 0 ? "" : ", " + Words.count(problems.count(), "problem", "problems")));
                }
            }
        }
        if (json != null) {
            json.field("problems", problems.json());
            json.endObject();
        }
        return problems.count() == 0 ? ExitCodes.OK : ExitCodes.DAMAGE;
    }

    private long dumpEntries(TableReader table, List<TableLayout.IndexEntry> blocks, JsonStream json, Problems problems)
            throws IOException {
        Progress progress = Progress.start(context, "sst dump", table.fileSize());
        long[] count = {0};
        try (InternalIterator iterator = table.iterator(true)) {
            new BlockByBlock(iterator, blocks).forEach((key, value) -> {
                String shown = ByteText.render(value, options.hex);
                if (json != null) {
                    json.item(InternalKeyText.json(key, options.hex).put("value", shown));
                } else {
                    context.out().println(InternalKeyText.render(key, options.hex) + " => " + shown);
                }
                if (++count[0] % 1024 == 0) {
                    progress.update(table.approximateOffsetOf(key));
                }
            }, (CorruptionException e) -> problems.report(e.offset(), "BAD_BLOCK", e.reason()));
        } finally {
            progress.done();
        }
        return count[0];
    }
}
