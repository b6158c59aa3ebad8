package org.lsmtree.engine;

import java.nio.file.Path;
import org.lsmtree.manifest.LevelState;
import org.lsmtree.manifest.ManifestFormat;

/**
 * The named properties of a running store ({@link Db#property}): {@code lsm.stats} (a summary
 * for people: files, WAL, MANIFEST, memtables, stalls, background error, and per level files,
 * bytes, score, compactions and write amplification), {@code lsm.num-files-at-level<N>},
 * {@code lsm.sstables} (LevelDB's layout), {@code lsm.approximate-memory-usage} (bytes of the
 * store's memtables plus the bytes held by the block cache it reads through, all of a shared
 * cache's as RocksDB counts it, and the index and filter blocks of its open tables), {@code lsm.background-error} (empty when none),
 * {@code lsm.mem-table-flush-pending} and {@code lsm.compaction-pending} (1 or 0, RocksDB's
 * names), {@code lsm.last-sequence}, {@code lsm.memtable-bytes} (the active memtable),
 * {@code lsm.all-memtables-bytes} (active and immutable), {@code lsm.open-snapshots},
 * {@code lsm.block-cache} (size, use, hits, misses, evictions of the block cache the store reads
 * through), {@code lsm.write-buffers} (the shared memtable budget's totals, also in {@code lsm.stats}) and
 * {@code lsm.estimate-num-keys} (RocksDB's {@code rocksdb.estimate-num-keys}: the entries of the
 * memtables plus those the live tables record in their properties blocks, read once per table;
 * every version and tombstone counts until compaction merges them, and tables without the block,
 * LevelDB's, count 0).
 *
 * <p>Thread-safe: it reads the store's parts as they are when asked, without a lock; a value may
 * mix moments when background work changes the store meanwhile.
 */
final class StoreProperties {
    private static final String FILES_AT_LEVEL = "lsm.num-files-at-level";

    /** What changes from one call to the next, read by the store once per call. */
    record Moment(ReadState state, long lastSequence, String wal, java.io.IOException error, boolean compacting) {
        String describeError() {
            return error == null ? "" : error.toString();
        }
    }

    private final Path directory;
    private final boolean readOnly;
    private final VersionSet versions;
    private final SnapshotList snapshots;
    private final WriteController stalls;
    private final CompactionStats compactionStats;
    private final CompactionPicker picker;
    private final TableFormat tables;
    private final WriteBufferShare memory;
    /** Entries recorded by each live table seen so far (tables are immutable), by file number. */
    private final java.util.Map<Long, Long> tableEntries = new java.util.concurrent.ConcurrentHashMap<>();

    StoreProperties(Path directory, boolean readOnly, VersionSet versions, SnapshotList snapshots,
            WriteController stalls, CompactionStats compactionStats, CompactionPicker picker, TableFormat tables,
            WriteBufferShare memory) {
        this.tables = tables;
        this.memory = memory;
        this.directory = directory;
        this.readOnly = readOnly;
        this.versions = versions;
        this.snapshots = snapshots;
        this.stalls = stalls;
        this.compactionStats = compactionStats;
        this.picker = picker;
    }

    /** The value of property {@code name} at {@code moment}, or null for an unknown name. */
    String get(String name, Moment moment) {
        LevelState state = moment.state().version().state();
        if (name.startsWith(FILES_AT_LEVEL)) {
            String level = name.substring(FILES_AT_LEVEL.length());
            return level.matches("[0-9]") && Integer.parseInt(level) < ManifestFormat.NUM_LEVELS
                    ? Integer.toString(state.fileCount(Integer.parseInt(level))) : null;
        }
        return switch (name) {
            case "lsm.stats" -> stats(moment, state);
            case "lsm.sstables" -> CompactionStats.sstables(state);
            case "lsm.last-sequence" -> Long.toString(moment.lastSequence());
            case "lsm.memtable-bytes" -> Long.toString(moment.state().mutable().approximateBytes());
            case "lsm.all-memtables-bytes" -> Long.toString(memTableBytes(moment.state()));
            case "lsm.approximate-memory-usage" -> Long.toString(memTableBytes(moment.state()) + tables.cacheBytes());
            case "lsm.write-buffers" -> memory.describe();
            case "lsm.open-snapshots" -> Integer.toString(snapshots.size());
            case "lsm.background-error" -> moment.describeError();
            case "lsm.block-cache" -> tables.describeCache();
            case "lsm.estimate-num-keys" -> Long.toString(estimateNumKeys(moment.state(), state));
            case "lsm.mem-table-flush-pending" -> moment.state().immutable() == null ? "0" : "1";
            case "lsm.compaction-pending" -> moment.compacting() || picker.needsCompaction(state) ? "1" : "0";
            default -> null;
        };
    }

    private long estimateNumKeys(ReadState read, LevelState state) {
        long total = read.mutable().size() + (read.immutable() == null ? 0 : read.immutable().size());
        java.util.Set<Long> live = new java.util.HashSet<>();
        for (int level = 0; level < ManifestFormat.NUM_LEVELS; level++) {
            for (org.lsmtree.manifest.FileMetadata file : state.files(level)) {
                live.add(file.number());
                Long entries = tableEntries.get(file.number());
                if (entries == null) {
                    entries = recordedEntries(file);
                    if (entries != null) {
                        tableEntries.put(file.number(), entries);
                    }
                }
                total += entries == null ? 0 : entries;
            }
        }
        tableEntries.keySet().retainAll(live);
        return total;
    }

    /** The entries {@code file} records (0 when it records none), or null when it cannot be read now. */
    private Long recordedEntries(org.lsmtree.manifest.FileMetadata file) {
        try (TableFormat.TableSource table = tables.open(tables.fileFor(directory, file.number()), file.number(),
                file.size())) {
            return Math.max(0, table.recordedEntries());
        } catch (java.io.IOException e) {
            return null; // deleted by a compaction meanwhile, or damaged (reads report that): asked again next time
        }
    }

    private static long memTableBytes(ReadState state) {
        return state.mutable().approximateBytes() + (state.immutable() == null ? 0 : state.immutable().approximateBytes());
    }

    private String stats(Moment moment, LevelState state) {
        ReadState read = moment.state();
        StringBuilder text = new StringBuilder();
        text.append("store: ").append(directory).append(readOnly ? " (read-only)" : "").append('\n');
        text.append("last sequence: ").append(moment.lastSequence()).append('\n');
        if (!readOnly) {
            text.append("wal: ").append(moment.wal()).append('\n');
            text.append("manifest: ").append(org.lsmtree.format.FileNames.manifestFileName(versions.manifestNumber()))
                    .append(", ").append(versions.manifestBytes()).append(" bytes\n");
        }
        text.append("memtable: ").append(read.mutable().size()).append(" entries, ~")
                .append(read.mutable().approximateBytes()).append(" bytes")
                .append(read.immutable() == null ? "" : "; an immutable one is being flushed").append('\n');
        text.append("snapshots open: ").append(snapshots.size()).append('\n');
        text.append(tables.describeCache()).append('\n');
        if (memory.shared()) {
            text.append(memory.describe()).append('\n');
        }
        text.append(stalls.describe());
        String error = moment.describeError();
        text.append("background error: ").append(error.isEmpty() ? "none" : error).append('\n');
        text.append(compactionStats.table(state, picker));
        return text.toString();
    }
}
