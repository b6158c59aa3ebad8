package org.lsmtree.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.lsmtree.format.CorruptionException;
import org.lsmtree.format.FileNames;
import org.lsmtree.format.FileType;
import org.lsmtree.format.iterator.InternalIterator;
import org.lsmtree.format.key.InternalKey;
import org.lsmtree.format.key.ValueType;
import org.lsmtree.format.log.LogFormat;
import org.lsmtree.format.log.LogReader;
import org.lsmtree.format.storage.NioStorage;
import org.lsmtree.format.storage.Storage;
import org.lsmtree.sstable.TableLayout;
import org.lsmtree.sstable.TableOptions;
import org.lsmtree.sstable.TableReader;
import org.lsmtree.wal.SequencedBatch;
import org.lsmtree.wal.WriteBatch;
import org.lsmtree.wal.WriteBatchCodec;

/**
 * {@code lsm scan} of a store whose keys are ordered by a comparator lsm does not know
 * ({@link StoreComparator}): its entries as the files hold them, newest file first (the WALs,
 * then the tables by falling number), every version and deletion, as internal keys
 * ({@code key @ seq : PUT => value}). Nothing is merged and no key order is checked, which a note
 * on standard error says. Damaged records and blocks are skipped and counted. Stateless.
 */
final class FileOrderScan {
    private FileOrderScan() {}

    static int run(Context context, Path directory, String comparator, long limit, boolean hex) throws IOException {
        context.err().println("note: the comparator '" + EditText.name(comparator) + "' is not LevelDB's bytewise order:"
                + " entries are listed file by file as stored (newest file first, every version and deletion);"
                + " key order checks were skipped");
        Storage storage = NioStorage.onDefaultFileSystem();
        List<FileNames.Parsed> files = new ArrayList<>();
        List<Path> paths = new ArrayList<>();
        for (Path file : storage.list(directory)) {
            FileNames.parse(file).filter(p -> p.type() == FileType.LOG || p.type() == FileType.TABLE
                    || p.type() == FileType.LEGACY_TABLE).ifPresent(p -> {
                        files.add(p);
                        paths.add(file);
                    });
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            order.add(i);
        }
        // WALs hold the newest writes; then tables, the higher the number the newer.
        order.sort(Comparator.<Integer, Boolean>comparing(i -> files.get(i).type() != FileType.LOG)
                .thenComparing(i -> -files.get(i).number()));
        long max = limit == 0 ? Long.MAX_VALUE : limit;
        long[] shown = {0};
        long[] damaged = {0};
        for (int i : order) {
            if (shown[0] >= max) {
                break;
            }
            Path path = paths.get(i);
            Lines out = (key, value) -> {
                if (shown[0] < max) {
                    context.out().println(InternalKeyText.render(key, hex) + " => " + ByteText.render(value, hex));
                    shown[0]++;
                }
            };
            if (files.get(i).type() == FileType.LOG) {
                log(storage, path, out, damaged);
            } else {
                table(storage, path, out, damaged);
            }
        }
        context.err().println("(" + Words.count(shown[0], "entry", "entries") + " in file order"
                + (shown[0] >= max ? "; more past the limit of " + limit : "")
                + (damaged[0] == 0 ? "" : "; " + Words.count(damaged[0], "damaged record or block",
                        "damaged records or blocks") + " skipped") + ")");
        return damaged[0] == 0 ? ExitCodes.OK : ExitCodes.DAMAGE;
    }

    private interface Lines {
        void print(byte[] internalKey, byte[] value);
    }

    private static void log(Storage storage, Path path, Lines out, long[] damaged) throws IOException {
        try (LogReader log = new LogReader(storage.openRandomRead(path), problem -> damaged[0]++,
                LogFormat.DEFAULT_MAX_RECORD_SIZE)) {
            for (byte[] record = log.readRecord(); record != null; record = log.readRecord()) {
                SequencedBatch batch;
                try {
                    batch = WriteBatchCodec.INSTANCE.decode(record);
                } catch (CorruptionException e) {
                    damaged[0]++;
                    continue;
                }
                long[] sequence = {batch.sequence()};
                batch.batch().forEach(new WriteBatch.Handler() {
                    @Override
                    public void put(byte[] key, byte[] value) {
                        out.print(InternalKey.encode(key, sequence[0]++, ValueType.PUT), value);
                    }

                    @Override
                    public void delete(byte[] key) {
                        out.print(InternalKey.encode(key, sequence[0]++, ValueType.DELETE), new byte[0]);
                    }
                });
            }
        }
    }

    private static void table(Storage storage, Path path, Lines out, long[] damaged) throws IOException {
        try {
            TableLayout layout = TableLayout.read(storage, path);
            try (TableReader table = TableReader.open(storage, path, TableOptions.defaults());
                    InternalIterator iterator = table.iterator(true)) {
                new BlockByBlock(iterator, layout.indexEntries()).forEach(out::print, (CorruptionException e) -> damaged[0]++);
            }
        } catch (CorruptionException e) {
            damaged[0]++;
        }
    }
}
