package org.lsmtree.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.lsmtree.format.CorruptionException;
import org.lsmtree.format.FileNames;
import org.lsmtree.format.FileType;
import org.lsmtree.format.iterator.InternalIterator;
import org.lsmtree.format.key.BytewiseComparator;
import org.lsmtree.format.key.InternalKey;
import org.lsmtree.format.key.InternalKeyComparator;
import org.lsmtree.format.key.ValueType;
import org.lsmtree.format.log.LogFormat;
import org.lsmtree.format.log.LogReader;
import org.lsmtree.format.storage.Storage;
import org.lsmtree.format.storage.WritableFile;
import org.lsmtree.manifest.CurrentFile;
import org.lsmtree.manifest.FileMetadata;
import org.lsmtree.manifest.LevelState;
import org.lsmtree.manifest.ManifestWriter;
import org.lsmtree.manifest.VersionEdit;
import org.lsmtree.sstable.TableBuilder;
import org.lsmtree.sstable.TableLayout;
import org.lsmtree.sstable.TableOptions;
import org.lsmtree.sstable.TableReader;
import org.lsmtree.wal.SequencedBatch;
import org.lsmtree.wal.WriteBatch;
import org.lsmtree.wal.WriteBatchCodec;

/**
 * Rebuilds a store's MANIFEST from its files, as LevelDB's {@code RepairDB}: each WAL's readable
 * batches become a table (damaged records skipped, as {@code SKIP_ANY_CORRUPTED}); each table is
 * read whole, and one with damaged blocks or keys out of order is rewritten with the entries its
 * checksums allow; a table that cannot be read at all is set aside; then a new MANIFEST lists
 * every table at level 0 with the largest sequence seen, and {@code CURRENT} names it. Nothing is
 * deleted: the WALs, the old MANIFESTs and the damaged originals go to {@code lost/}. What was
 * lost is reported line by line. The caller holds the store's lock. Used once, by one thread.
 */
final class Repair {
    private static final InternalKeyComparator ORDER = new InternalKeyComparator(BytewiseComparator.INSTANCE);

    private final Storage storage;
    private final Path directory;
    private final List<FileMetadata> tables = new ArrayList<>();
    private final List<String> actions = new ArrayList<>();
    private final List<String> losses = new ArrayList<>();
    private long nextNumber;
    private long lastSequence;

    Repair(Storage storage, Path directory) {
        this.storage = storage;
        this.directory = directory;
    }

    /** What was done and what was lost, one line each; and the new MANIFEST's name. */
    record Outcome(List<String> actions, List<String> losses, String manifest, int tables, long lastSequence) {}

    Outcome run() throws IOException {
        List<Path> logs = new ArrayList<>();
        List<Path> tableFiles = new ArrayList<>();
        List<Path> manifests = new ArrayList<>();
        for (Path file : storage.list(directory)) {
            FileNames.parse(file).ifPresent(parsed -> {
                nextNumber = Math.max(nextNumber, parsed.number() + 1);
                switch (parsed.type()) {
                    case LOG -> logs.add(file);
                    case TABLE, LEGACY_TABLE -> tableFiles.add(file);
                    case MANIFEST -> manifests.add(file);
                    default -> { }
                }
            });
        }
        logs.sort(null);
        tableFiles.sort(null);
        reportMissingTables(tableFiles);
        for (Path table : tableFiles) {
            salvageTable(table);
        }
        for (Path log : logs) {
            convertLog(log);
        }
        long manifestNumber = nextNumber++;
        VersionEdit edit = new VersionEdit().setComparatorName(BytewiseComparator.INSTANCE.name()).setLogNumber(0)
                .setPreviousLogNumber(0).setNextFileNumber(nextNumber).setLastSequence(lastSequence);
        tables.forEach(table -> edit.addFile(0, table));
        LevelState state = LevelState.empty(ORDER).apply(edit);
        try (ManifestWriter manifest = ManifestWriter.create(storage, directory, manifestNumber, state)) {
            manifest.sync();
        }
        CurrentFile.write(storage, directory, manifestNumber);
        for (Path old : manifests) {
            setAside(old, "old MANIFEST");
        }
        String name = FileNames.manifestFileName(manifestNumber);
        actions.add(name + ": " + Words.count(tables.size(), "table", "tables") + " at level 0, last sequence "
                + lastSequence + "; CURRENT names it");
        return new Outcome(actions, losses, name, tables.size(), lastSequence);
    }

    /** Tables the old MANIFEST (when it can be read) names but the directory lacks: their entries are lost. */
    private void reportMissingTables(List<Path> tableFiles) {
        StoreState.Read old;
        try {
            old = StoreState.read(directory);
        } catch (IOException | RuntimeException unreadable) {
            return; // nothing to compare with: the rebuild goes by the files alone
        }
        java.util.Set<Long> present = new java.util.HashSet<>();
        tableFiles.forEach(f -> present.add(FileNames.parse(f).orElseThrow().number()));
        old.state().liveFiles().forEach((number, level) -> {
            if (!present.contains(number)) {
                losses.add(FileNames.tableFileName(number) + ": named by " + old.manifest() + " (level " + level
                        + ") but missing; its entries are lost");
            }
        });
    }

    /** Keeps a readable table as it is; rewrites one with damage; sets aside one that cannot be read. */
    private void salvageTable(Path file) throws IOException {
        String name = file.getFileName().toString();
        TableLayout layout;
        try {
            layout = TableLayout.read(storage, file);
        } catch (CorruptionException e) {
            losses.add(name + ": cannot be read (" + Failures.corruption(e) + "); moved to lost/ with its entries");
            setAside(file, null);
            return;
        }
        List<byte[][]> entries = new ArrayList<>();
        long[] damage = {0, 0}; // damaged blocks, entries out of order
        try (TableReader table = TableReader.open(storage, file, TableOptions.defaults());
                InternalIterator iterator = table.iterator(true)) {
            new BlockByBlock(iterator, layout.indexEntries()).forEach((key, value) -> {
                if (key.length < InternalKey.TRAILER_SIZE
                        || !entries.isEmpty() && ORDER.compare(entries.get(entries.size() - 1)[0], key) >= 0) {
                    damage[1]++;
                    return;
                }
                entries.add(new byte[][] {key, value});
            }, (CorruptionException e) -> damage[0]++);
        } catch (CorruptionException e) {
            losses.add(name + ": cannot be read (" + Failures.corruption(e) + "); moved to lost/ with its entries");
            setAside(file, null);
            return;
        }
        entries.forEach(entry -> lastSequence = Math.max(lastSequence, InternalKey.trailerOf(entry[0]) >>> 8));
        if (damage[0] == 0 && damage[1] == 0) {
            if (!entries.isEmpty()) {
                tables.add(new FileMetadata(FileNames.parse(file).orElseThrow().number(), storage.size(file),
                        entries.get(0)[0], entries.get(entries.size() - 1)[0]));
            }
            return;
        }
        String rewritten = entries.isEmpty() ? "nothing left to keep" : "its " + Words.count(entries.size(), "readable"
                + " entry", "readable entries") + " rewritten as " + writeTable(entries);
        losses.add(name + ": " + Words.count(damage[0], "damaged block", "damaged blocks") + " and "
                + Words.count(damage[1], "entry", "entries") + " out of order dropped; " + rewritten
                + "; the original moved to lost/");
        setAside(file, null);
    }

    /** Writes a WAL's readable batches into a table (newer than every table found) and sets the WAL aside. */
    private void convertLog(Path file) throws IOException {
        String name = file.getFileName().toString();
        TreeMap<byte[], byte[]> memtable = new TreeMap<>(ORDER);
        long[] dropped = {0, 0}; // bytes dropped by framing, batches that do not decode
        long batches = 0;
        // read at random, so that a record cut off in its copy to a mapped log reads as a torn tail
        try (LogReader log = new LogReader(storage.openRandomRead(file), problem -> {
            dropped[0] += problem.bytesDropped();
            losses.add(name + ": offset " + problem.offset() + ": " + problem.kind() + ": " + problem.message() + " ("
                    + problem.bytesDropped() + " bytes dropped)");
        }, LogFormat.DEFAULT_MAX_RECORD_SIZE)) {
            for (byte[] record = log.readRecord(); record != null; record = log.readRecord()) {
                SequencedBatch batch;
                try {
                    batch = WriteBatchCodec.INSTANCE.decode(record);
                } catch (CorruptionException e) {
                    dropped[1]++;
                    losses.add(name + ": offset " + log.lastRecordOffset() + ": a record that is no write batch ("
                            + e.reason() + "); dropped");
                    continue;
                }
                batches++;
                long[] sequence = {batch.sequence()};
                batch.batch().forEach(new WriteBatch.Handler() {
                    @Override
                    public void put(byte[] key, byte[] value) {
                        memtable.put(InternalKey.encode(key, sequence[0]++, ValueType.PUT), value);
                    }

                    @Override
                    public void delete(byte[] key) {
                        memtable.put(InternalKey.encode(key, sequence[0]++, ValueType.DELETE), new byte[0]);
                    }
                });
                lastSequence = Math.max(lastSequence, sequence[0] - 1);
            }
        }
        List<byte[][]> entries = new ArrayList<>();
        memtable.forEach((key, value) -> entries.add(new byte[][] {key, value}));
        actions.add(name + ": " + Words.count(batches, "batch", "batches") + " (" + Words.count(entries.size(), "entry",
                "entries") + ") " + (entries.isEmpty() ? "held nothing to keep" : "written to " + writeTable(entries))
                + "; the log moved to lost/");
        setAside(file, null);
    }

    /** Writes {@code entries} (in order) to a new table, adds it to the level state and returns its name. */
    private String writeTable(List<byte[][]> entries) throws IOException {
        long number = nextNumber++;
        Path path = FileNames.tableFile(directory, number);
        long size;
        try (WritableFile out = storage.create(path); TableBuilder builder = new TableBuilder(out, TableOptions.defaults())) {
            for (byte[][] entry : entries) {
                builder.add(entry[0], entry[1]);
            }
            size = builder.finish();
            out.sync();
        }
        tables.add(new FileMetadata(number, size, entries.get(0)[0], entries.get(entries.size() - 1)[0]));
        return path.getFileName().toString();
    }

    /** Moves {@code file} into {@code lost/}; never deletes. */
    private void setAside(Path file, String what) throws IOException {
        Path lost = directory.resolve("lost");
        storage.createDirectories(lost);
        storage.rename(file, lost.resolve(file.getFileName().toString()));
        if (what != null) {
            actions.add(file.getFileName() + ": " + what + ", moved to lost/");
        }
    }
}
