package org.lsmtree.engine;

import java.util.concurrent.atomic.AtomicLongArray;
import org.lsmtree.format.key.InternalKey;
import org.lsmtree.manifest.FileMetadata;
import org.lsmtree.manifest.LevelState;
import org.lsmtree.manifest.ManifestFormat;

/**
 * What flushes and compactions did, per output level: how many ran, bytes read and bytes
 * written; with the level table of {@code lsm.stats} and LevelDB's {@code sstables} text.
 * Write amplification is the bytes written to tables over the bytes flushed from memtables.
 * Compactions that reads triggered ({@link SeekCompactions}) are counted among the others and
 * also on their own.
 *
 * <p>Thread-safe: atomic counters, written by whoever ran the work.
 */
final class CompactionStats {
    private final AtomicLongArray runs = new AtomicLongArray(ManifestFormat.NUM_LEVELS);
    private final AtomicLongArray read = new AtomicLongArray(ManifestFormat.NUM_LEVELS);
    private final AtomicLongArray written = new AtomicLongArray(ManifestFormat.NUM_LEVELS);
    private final AtomicLongArray moves = new AtomicLongArray(ManifestFormat.NUM_LEVELS);
    private volatile long flushedBytes;
    private final java.util.concurrent.atomic.AtomicLong compactions = new java.util.concurrent.atomic.AtomicLong();
    private volatile long flushes;
    private final java.util.concurrent.atomic.AtomicLong seekCompactions = new java.util.concurrent.atomic.AtomicLong();

    /** A flush that wrote {@code bytes} of tables to {@code level}. */
    synchronized void flushed(int level, long bytes) {
        flushedBytes += bytes;
        flushes++;
        runs.incrementAndGet(level);
        written.addAndGet(level, bytes);
    }

    /** {@code compaction} merged its inputs into tables of {@code bytesWritten} bytes, installed. */
    void compacted(Compaction compaction, long bytesWritten) {
        int level = compaction.outputLevel();
        compactions.incrementAndGet();
        runs.incrementAndGet(level);
        read.addAndGet(level, compaction.inputBytes());
        written.addAndGet(level, bytesWritten);
        countIfForSeeks(compaction);
    }

    /** {@code compaction} moved its one file down a level, installed. */
    void moved(Compaction compaction) {
        moves.incrementAndGet(compaction.outputLevel());
        countIfForSeeks(compaction);
    }

    private void countIfForSeeks(Compaction compaction) {
        if (compaction.forSeeks()) {
            seekCompactions.incrementAndGet();
        }
    }

    /** Compactions, merges and trivial moves alike, that reads triggered by spending a table's seek budget. */
    long seekCompactions() {
        return seekCompactions.get();
    }

    /** Flushes of a memtable to tables since the store opened. */
    long flushes() {
        return flushes;
    }

    /** Compactions that merged files (trivial moves not counted). */
    long compactions() {
        return compactions.get();
    }

    long moves(int level) {
        return moves.get(level);
    }

    private long totalMoves() {
        return sum(moves);
    }

    /** Bytes of tables written so far, by flushes and compactions, all levels. */
    long writtenBytes() {
        return sum(written);
    }

    private static long sum(AtomicLongArray perLevel) {
        long total = 0;
        for (int level = 0; level < ManifestFormat.NUM_LEVELS; level++) {
            total += perLevel.get(level);
        }
        return total;
    }

    /** The per-level table of {@code lsm.stats}, with each level's score. */
    String table(LevelState state, CompactionPicker picker) {
        StringBuilder text = new StringBuilder(String.format("%5s %6s %12s %6s %6s %6s %12s %12s%n",
                "level", "files", "bytes", "score", "runs", "moves", "read", "written"));
        long total = 0;
        for (int level = 0; level < ManifestFormat.NUM_LEVELS; level++) {
            total += written.get(level);
            text.append(String.format("%5d %6d %12d %6.2f %6d %6d %12d %12d%n", level, state.fileCount(level),
                    state.bytes(level), picker.score(state, level), runs.get(level), moves.get(level),
                    read.get(level), written.get(level)));
        }
        long flushed = flushedBytes;
        text.append(String.format("write amplification: %.2f (%d table bytes written for %d flushed)%n",
                flushed == 0 ? 0.0 : total / (double) flushed, total, flushed));
        text.append(String.format("seek-triggered compactions: %d (of %d merges and %d moves)%n",
                seekCompactions.get(), compactions.get(), totalMoves()));
        return text.toString();
    }

    /** LevelDB's {@code leveldb.sstables} layout: each level, then one line per file. */
    static String sstables(LevelState state) {
        StringBuilder text = new StringBuilder();
        for (int level = 0; level < ManifestFormat.NUM_LEVELS; level++) {
            text.append("--- level ").append(level).append(" ---\n");
            for (FileMetadata file : state.files(level)) {
                text.append(' ').append(file.number()).append(':').append(file.size()).append('[')
                        .append(describe(file.smallest())).append(" .. ").append(describe(file.largest()))
                        .append("]\n");
            }
        }
        return text.toString();
    }

    private static String describe(byte[] internalKey) {
        long trailer = InternalKey.trailerOf(internalKey);
        return "'" + new String(InternalKey.userKeyOf(internalKey), java.nio.charset.StandardCharsets.ISO_8859_1)
                + "' @ " + (trailer >>> 8) + " : " + (trailer & 0xff);
    }
}
