package org.lsmtree.engine;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import org.lsmtree.format.key.BytewiseComparator;
import org.lsmtree.format.log.LogFormat;
import org.lsmtree.format.key.UserComparator;
import org.lsmtree.format.storage.Storage;
import org.lsmtree.wal.WalRecoveryMode;

/**
 * How a store is opened and written. Immutable: start from {@link #defaults()} and change what
 * you need with the {@code with...} methods, each of which returns a new instance.
 *
 * <p>The defaults match LevelDB's where a store's files are concerned (4 KiB blocks, a restart
 * point every 16 keys, the bytewise comparator), so a store written with them opens in LevelDB.
 * Differences: a bloom filter of 10 bits per key is on (LevelDB reads it), tables are not
 * compressed unless asked, a missing store is created, and every block read from a table is
 * checked against its checksum, so that a damaged table gives an error, never a wrong value.
 */
public final class Options {
    /** Table compression: none, or Snappy (LevelDB's type 1). */
    public enum Compression { NONE, SNAPPY }

    private boolean createIfMissing = true;
    private boolean errorIfExists;
    private long writeBufferSize = 4L << 20;
    private int blockSize = 4096;
    private int blockRestartInterval = 16;
    private int bloomBitsPerKey = 10;
    private Compression compression = Compression.NONE;
    private WalRecoveryMode walRecoveryMode = WalRecoveryMode.TOLERATE_CORRUPTED_TAIL;
    private boolean paranoidChecks;
    private boolean verifyChecksums = true;
    private boolean paranoidFileChecks = true;
    private Storage storage;
    private UserComparator comparator = BytewiseComparator.INSTANCE;
    private boolean legacyTableFileNames;
    private boolean acceptLostManifestEdits;
    private int maxRecordSize = LogFormat.DEFAULT_MAX_RECORD_SIZE;
    private long blockCacheSize = 8L << 20;
    private BlockCache blockCache;
    private WriteBufferManager writeBufferManager;
    private int backgroundThreads = 2;
    private java.util.concurrent.Executor backgroundExecutor;
    private long targetFileSize = 2L << 20;
    private long maxBytesForLevelBase = 10L << 20;
    private int levelSizeMultiplier = 10;
    private int levelZeroCompactionTrigger = 4;
    private int levelZeroSlowdownTrigger = 8;
    private int levelZeroStopTrigger = 12;
    private long maxManifestBytes = 64L << 20;
    private int maxOpenFiles = 1000;
    private boolean seekCompaction = true;
    private long walBytesPerSync = 1L << 20;

    private Options() {}

    /** Create if missing, 4 MiB write buffer, 4 KiB blocks, 10-bit bloom filters, no compression. */
    public static Options defaults() {
        return new Options();
    }

    private Options copy() {
        Options copy = new Options();
        copy.createIfMissing = createIfMissing;
        copy.errorIfExists = errorIfExists;
        copy.writeBufferSize = writeBufferSize;
        copy.blockSize = blockSize;
        copy.blockRestartInterval = blockRestartInterval;
        copy.bloomBitsPerKey = bloomBitsPerKey;
        copy.compression = compression;
        copy.walRecoveryMode = walRecoveryMode;
        copy.paranoidChecks = paranoidChecks;
        copy.verifyChecksums = verifyChecksums;
        copy.paranoidFileChecks = paranoidFileChecks;
        copy.storage = storage;
        copy.comparator = comparator;
        copy.legacyTableFileNames = legacyTableFileNames;
        copy.acceptLostManifestEdits = acceptLostManifestEdits;
        copy.maxRecordSize = maxRecordSize;
        copy.blockCacheSize = blockCacheSize;
        copy.blockCache = blockCache;
        copy.writeBufferManager = writeBufferManager;
        copy.backgroundThreads = backgroundThreads;
        copy.backgroundExecutor = backgroundExecutor;
        copy.targetFileSize = targetFileSize;
        copy.maxBytesForLevelBase = maxBytesForLevelBase;
        copy.levelSizeMultiplier = levelSizeMultiplier;
        copy.levelZeroCompactionTrigger = levelZeroCompactionTrigger;
        copy.levelZeroSlowdownTrigger = levelZeroSlowdownTrigger;
        copy.levelZeroStopTrigger = levelZeroStopTrigger;
        copy.maxManifestBytes = maxManifestBytes;
        copy.maxOpenFiles = maxOpenFiles;
        copy.seekCompaction = seekCompaction;
        copy.walBytesPerSync = walBytesPerSync;
        return copy;
    }

    /** Whether opening a directory without a store creates one (default true). */
    public Options withCreateIfMissing(boolean value) {
        Options copy = copy();
        copy.createIfMissing = value;
        return copy;
    }

    /** Whether opening a directory that already holds a store fails (default false). */
    public Options withErrorIfExists(boolean value) {
        Options copy = copy();
        copy.errorIfExists = value;
        return copy;
    }

    /** Bytes of writes a memtable holds before it is flushed to a table (default 4 MiB). */
    public Options withWriteBufferSize(long bytes) {
        checkArgument(bytes >= 1024, "write buffer of %s bytes is under 1 KiB", bytes);
        Options copy = copy();
        copy.writeBufferSize = bytes;
        return copy;
    }

    /** Uncompressed bytes per table data block (default 4096). */
    public Options withBlockSize(int bytes) {
        checkArgument(bytes >= 64, "block size %s is under 64 bytes", bytes);
        Options copy = copy();
        copy.blockSize = bytes;
        return copy;
    }

    /** Keys between restart points in a block (default 16). */
    public Options withBlockRestartInterval(int keys) {
        checkArgument(keys >= 1, "restart interval %s is under 1", keys);
        Options copy = copy();
        copy.blockRestartInterval = keys;
        return copy;
    }

    /** Bloom filter bits per key; 0 writes tables without filters (default 10). */
    public Options withBloomBitsPerKey(int bits) {
        checkArgument(bits >= 0, "bloom bits per key %s is negative", bits);
        Options copy = copy();
        copy.bloomBitsPerKey = bits;
        return copy;
    }

    /** Compression of new tables (default none). */
    public Options withCompression(Compression value) {
        Options copy = copy();
        copy.compression = checkNotNull(value);
        return copy;
    }

    /** What WAL replay tolerates at open (default: a torn tail). */
    public Options withWalRecoveryMode(WalRecoveryMode value) {
        Options copy = copy();
        copy.walRecoveryMode = checkNotNull(value);
        return copy;
    }

    /** Whether open checks harder and stops at any inconsistency (default false). */
    public Options withParanoidChecks(boolean value) {
        Options copy = copy();
        copy.paranoidChecks = value;
        return copy;
    }

    /**
     * Whether every block read from a table is checked against its checksum (default true: a
     * damaged block is a {@link org.lsmtree.format.CorruptionException}, never a wrong value).
     */
    public Options withVerifyChecksums(boolean value) {
        Options copy = copy();
        copy.verifyChecksums = value;
        return copy;
    }

    /**
     * Whether each new table of a flush, compaction or recovery is read back once and checked
     * before the MANIFEST names it (default true; RocksDB's {@code paranoid_file_checks}): its
     * block checksums, its key order, and a digest and count of its entries against what was
     * written. A table that fails is deleted and the store turns read-only with an error naming
     * it ({@link Db#resume()} tries again); its data stays where it was. The cost is one
     * sequential read of every new table ({@code docs/reliability.md}).
     */
    public Options withParanoidFileChecks(boolean value) {
        Options copy = copy();
        copy.paranoidFileChecks = value;
        return copy;
    }

    /**
     * The {@link Storage} all files go through; by default a {@code NioStorage} on the file system
     * of the store's path. Tests pass jimfs or the crash and fault wrappers here.
     */
    public Options withStorage(Storage value) {
        Options copy = copy();
        copy.storage = checkNotNull(value);
        return copy;
    }

    /** The order of user keys; its name is recorded in the store (default bytewise). */
    public Options withComparator(UserComparator value) {
        Options copy = copy();
        copy.comparator = checkNotNull(value);
        return copy;
    }

    /**
     * Whether new tables are named {@code NNNNNN.sst}, as LevelDB did before 1.14, instead of
     * {@code NNNNNN.ldb} (default false). Both are always read; turn this on only for readers
     * that know the old name alone, such as the pure-Java LevelDB port 0.12.
     */
    public Options withLegacyTableFileNames(boolean value) {
        Options copy = copy();
        copy.legacyTableFileNames = value;
        return copy;
    }

    /**
     * Whether open accepts a MANIFEST that the other files show to have lost edits (default
     * false). Such a MANIFEST names a log that is gone while newer logs exist, or a log number
     * above every log while an older log holds writes past the MANIFEST's last sequence: damage,
     * not a crash, since a crash never loses an edit whose files were already used. By default
     * open refuses it with a {@link org.lsmtree.format.CorruptionException} naming the MANIFEST;
     * with this on, the store opens at the state the MANIFEST still names (writes the lost edits
     * recorded are not served) and every file it would have deleted is moved to {@code lost/}.
     */
    public Options withAcceptLostManifestEdits(boolean value) {
        Options copy = copy();
        copy.acceptLostManifestEdits = value;
        return copy;
    }

    /** Whether open accepts a MANIFEST that lost edits; see {@link #withAcceptLostManifestEdits}. */
    public boolean acceptLostManifestEdits() {
        return acceptLostManifestEdits;
    }

    /**
     * The largest record the store writes or reads: a write batch as the WAL holds it (its keys
     * and values plus 12 bytes of header and a few per entry; group commit never merges batches
     * past it), and (with the block size, at least 1 MiB, of room for the entries beside it) a
     * table block. MANIFEST edits, which grow with the files they list rather than with a write,
     * are read with this or 64 MiB, whichever is larger. Default 64 MiB. A write whose batch is
     * larger is refused with {@link IllegalArgumentException}, so the store never writes what it
     * could not read back; a larger record or block found on disk is a
     * {@link org.lsmtree.format.CorruptionException} that names this option, so a damaged length
     * never makes the store allocate what it claims. Opening a store that holds a larger batch
     * (written by other software) needs this raised. The heap a store needs is about twice its
     * largest batch (one copy read, one being applied) beyond its write buffer.
     */
    public Options withMaxRecordSize(int bytes) {
        checkArgument(bytes >= 1024, "max record size %s is under 1 KiB", bytes);
        Options copy = copy();
        copy.maxRecordSize = bytes;
        return copy;
    }

    /** The largest record the store writes or reads; see {@link #withMaxRecordSize}. */
    public int maxRecordSize() {
        return maxRecordSize;
    }

    /**
     * Bytes of decoded table blocks the store keeps in a cache of its own (default 8 MiB, as
     * LevelDB; 0 for none). Ignored when {@link #withBlockCache} gives a shared cache.
     */
    public Options withBlockCacheSize(long bytes) {
        checkArgument(bytes >= 0, "block cache size %s is negative", bytes);
        Options copy = copy();
        copy.blockCacheSize = bytes;
        return copy;
    }

    /**
     * A block cache to share with other stores (one memory figure for all of them); by default
     * each store makes its own of {@link #blockCacheSize()} bytes.
     */
    public Options withBlockCache(BlockCache cache) {
        Options copy = copy();
        copy.blockCache = checkNotNull(cache);
        return copy;
    }

    /**
     * A limit on the memtables of this store and every other store given the same manager (see
     * {@link WriteBufferManager} for what happens at the limit); by default none, and each store
     * holds up to two memtables of {@link #writeBufferSize()} (the active one and one being flushed).
     */
    public Options withWriteBufferManager(WriteBufferManager manager) {
        Options copy = copy();
        copy.writeBufferManager = checkNotNull(manager);
        return copy;
    }

    /**
     * One memory figure shared with every store given the same budget: its block cache
     * ({@link #withBlockCache}) and its write-buffer manager, charged to that cache
     * ({@link #withWriteBufferManager}).
     */
    public Options withMemoryBudget(MemoryBudget budget) {
        return withBlockCache(budget.blockCache()).withWriteBufferManager(budget.writeBufferManager());
    }

    /** The shared write-buffer manager given, or null for none. */
    public WriteBufferManager writeBufferManager() {
        return writeBufferManager;
    }

    /** The size of the store's own block cache; see {@link #withBlockCacheSize}. */
    public long blockCacheSize() {
        return blockCacheSize;
    }

    /** The shared block cache given, or null for one of the store's own. */
    public BlockCache blockCache() {
        return blockCache;
    }

    /** Whether new tables get LevelDB's pre-1.14 name, {@code NNNNNN.sst}. */
    public boolean legacyTableFileNames() {
        return legacyTableFileNames;
    }

    /** Whether a missing store is created at open. */
    public boolean createIfMissing() {
        return createIfMissing;
    }

    /** Whether opening an existing store fails. */
    public boolean errorIfExists() {
        return errorIfExists;
    }

    /** Bytes of writes a memtable holds before it is flushed. */
    public long writeBufferSize() {
        return writeBufferSize;
    }

    /** Uncompressed bytes per table data block. */
    public int blockSize() {
        return blockSize;
    }

    /** Keys between restart points in a table block. */
    public int blockRestartInterval() {
        return blockRestartInterval;
    }

    /** Bloom filter bits per key of new tables; 0 for none. */
    public int bloomBitsPerKey() {
        return bloomBitsPerKey;
    }

    /** Compression of new tables. */
    public Compression compression() {
        return compression;
    }

    /** What WAL replay tolerates at open. */
    public WalRecoveryMode walRecoveryMode() {
        return walRecoveryMode;
    }

    /** Whether open stops at any inconsistency, a torn MANIFEST tail included. */
    public boolean paranoidChecks() {
        return paranoidChecks;
    }

    /** Whether every block read is checked against its checksum. */
    public boolean verifyChecksums() {
        return verifyChecksums;
    }

    /** Whether new tables are read back and checked before they are installed. */
    public boolean paranoidFileChecks() {
        return paranoidFileChecks;
    }

    /** The storage set with {@link #withStorage}, or null for the default. */
    public Storage storage() {
        return storage;
    }

    /** The order of user keys. */
    public UserComparator comparator() {
        return comparator;
    }

    /**
     * Threads of the store's own pool for flushes and compactions (default 2: one flush and one
     * compaction may run at once); the pool's threads are daemons and end at {@code close}.
     * Unused when {@link #withBackgroundExecutor} names an executor.
     */
    public Options withBackgroundThreads(int threads) {
        checkArgument(threads >= 1, "background threads %s is under 1", threads);
        Options copy = copy();
        copy.backgroundThreads = threads;
        return copy;
    }

    /**
     * The executor that runs flushes and compactions instead of the store's own pool (default
     * none: the store makes its own). The store never shuts it down. Tests pass a manual one that
     * runs queued work only when told, so that a run replays from its seed.
     */
    public Options withBackgroundExecutor(java.util.concurrent.Executor executor) {
        Options copy = copy();
        copy.backgroundExecutor = checkNotNull(executor);
        return copy;
    }

    /**
     * Syncs the WAL in the background each time this many bytes were appended to it since the
     * last sync (RocksDB's {@code wal_bytes_per_sync}), without the write lock, so that the sync
     * a memtable switch must make before the next log takes writes (the old log's tail is
     * durable first) has at most about this much left to force (and perhaps the end of a
     * background sync under way to wait for), instead of the whole unsynced log (a write
     * buffer's worth). Default 1 MiB, the WAL's preallocation chunk: each background sync then
     * finishes a chunk (which is unmapped at once), and the switch is left with a quarter of the
     * default 4 MiB write buffer at most; much smaller costs a system call per few writes for
     * little gain. 0 turns it off. Unsynced writes stay unacknowledged as durable
     * either way: this only moves when their bytes reach the disk. The task runs on the
     * background executor; the store's own pool gets one more thread for it, so that flushes and
     * compactions never hold it up.
     */
    public Options withWalBytesPerSync(long bytes) {
        checkArgument(bytes >= 0, "WAL bytes per sync %s is negative", bytes);
        Options copy = copy();
        copy.walBytesPerSync = bytes;
        return copy;
    }

    /** See {@link #withWalBytesPerSync}; 0 when off. */
    public long walBytesPerSync() {
        return walBytesPerSync;
    }

    /** Compaction output files are cut at about this size (default 2 MiB, LevelDB's). */
    public Options withTargetFileSize(long bytes) {
        checkArgument(bytes >= 1024, "target file size %s is under 1 KiB", bytes);
        Options copy = copy();
        copy.targetFileSize = bytes;
        return copy;
    }

    /**
     * Level sizes: level 1 may hold {@code base} bytes, each deeper level {@code multiplier} times
     * the one above (default 10 MiB and 10, LevelDB's); a level past its size is compacted.
     */
    public Options withLevelSizes(long base, int multiplier) {
        checkArgument(base >= 1024, "level-1 size %s is under 1 KiB", base);
        checkArgument(multiplier >= 2, "level size multiplier %s is under 2", multiplier);
        Options copy = copy();
        copy.maxBytesForLevelBase = base;
        copy.levelSizeMultiplier = multiplier;
        return copy;
    }

    /**
     * Level-0 file counts (LevelDB's defaults 4, 8, 12): at {@code compaction} files level 0 is
     * compacted; at {@code slowdown} each write waits 1 ms once; at {@code stop} writes wait for
     * the compaction. Each must be above the one before.
     */
    public Options withLevelZeroTriggers(int compaction, int slowdown, int stop) {
        checkArgument(compaction >= 1 && slowdown > compaction && stop > slowdown,
                "level-0 triggers %s, %s, %s are not increasing from 1", compaction, slowdown, stop);
        Options copy = copy();
        copy.levelZeroCompactionTrigger = compaction;
        copy.levelZeroSlowdownTrigger = slowdown;
        copy.levelZeroStopTrigger = stop;
        return copy;
    }

    /**
     * Whether reads trigger compactions (default true, as in LevelDB): a table that lookups keep
     * probing without finding their key before going on to a table below, or that iterators keep
     * meeting beside another table holding the same keys, is compacted into the level below once
     * it has cost a budget of probes (one per 16 KiB of the table, 100 at least), when no level
     * needs a compaction for its size. Off, only sizes and manual calls compact. A read-only
     * store never compacts either way.
     */
    public Options withSeekCompaction(boolean value) {
        Options copy = copy();
        copy.seekCompaction = value;
        return copy;
    }

    /** Whether reads trigger compactions. */
    public boolean seekCompaction() {
        return seekCompaction;
    }

    /** Threads of the store's own background pool. */
    public int backgroundThreads() {
        return backgroundThreads;
    }

    /** The executor set with {@link #withBackgroundExecutor}, or null for the store's own pool. */
    public java.util.concurrent.Executor backgroundExecutor() {
        return backgroundExecutor;
    }

    /** The size at which compaction output files are cut. */
    public long targetFileSize() {
        return targetFileSize;
    }

    /** The bytes level {@code level} (1 or deeper) may hold before it is compacted. */
    public double maxBytesForLevel(int level) {
        checkArgument(level >= 1, "level %s has no byte limit", level);
        return maxBytesForLevelBase * Math.pow(levelSizeMultiplier, level - 1);
    }

    /** Level-0 files that start a compaction. */
    public int levelZeroCompactionTrigger() {
        return levelZeroCompactionTrigger;
    }

    /** Level-0 files at which each write is delayed once. */
    public int levelZeroSlowdownTrigger() {
        return levelZeroSlowdownTrigger;
    }

    /** Level-0 files at which writes wait. */
    public int levelZeroStopTrigger() {
        return levelZeroStopTrigger;
    }

    /**
     * The size past which the MANIFEST is replaced by a new one starting with a snapshot of the
     * store's state (default 64 MiB), so that it does not grow for ever.
     */
    public Options withMaxManifestBytes(long bytes) {
        checkArgument(bytes >= 1, "MANIFEST size %s is under 1 byte", bytes);
        Options copy = copy();
        copy.maxManifestBytes = bytes;
        return copy;
    }

    /** Tables kept open at most (default 1000); the least recently used is closed first. */
    public Options withMaxOpenFiles(int files) {
        checkArgument(files >= 1, "max open files %s is under 1", files);
        Options copy = copy();
        copy.maxOpenFiles = files;
        return copy;
    }

    /** The size past which the MANIFEST rotates. */
    public long maxManifestBytes() {
        return maxManifestBytes;
    }

    /** Tables kept open at most. */
    public int maxOpenFiles() {
        return maxOpenFiles;
    }
}
