package org.lsmtree.engine;

import java.util.concurrent.atomic.AtomicReference;
import org.lsmtree.manifest.FileMetadata;
import org.lsmtree.manifest.LevelState;
import org.lsmtree.manifest.ManifestFormat;

/**
 * Compaction triggered by reads (LevelDB's "seek compaction"), for a store that writes. A table
 * that reads keep looking into without finding their key, only to go on to a table below, costs
 * each of those reads a probe; merging it into the level below removes that probe. So every live
 * table has a budget of allowed seeks ({@link #allowedSeeks(long)}, kept with the table in
 * {@link LevelFiles}), and a read spends one of the budget of the first table it looked into when
 * it had to look into a second one too:
 * <ul>
 *   <li>a {@code get} that consulted two or more tables (their key ranges held the key) charges
 *       the first of them ({@link Version#get});
 *   <li>an iterator samples the entries it passes, about one per MiB read ({@link ReadSampler}),
 *       and a sampled key that two or more tables of the current version hold charges the first.
 * </ul>
 * When a budget runs out its table becomes the store's one file to compact (the first to run out
 * while none is marked) and a background compaction is scheduled; the {@link CompactionPicker}
 * compacts it, with the overlapping files of the level below, when no level's score asks for a
 * size compaction first. A mark whose table has left its level meanwhile is forgotten.
 *
 * <p>A read-only store, or one opened with {@link Options#withSeekCompaction(boolean)} off, has
 * none: nothing is charged and nothing scheduled.
 *
 * <p>Thread-safe: readers charge without a lock (an atomic counter per table, an atomic mark), and
 * the scheduling callback must be callable from any thread.
 */
final class SeekCompactions {
    /** LevelDB's {@code kReadBytesPeriod}: iterators sample a key about once per this many bytes. */
    static final int READ_BYTES_PERIOD = 1 << 20;

    /** A table whose budget ran out, at its level. */
    record Target(int level, FileMetadata file) {}

    private final Runnable schedule;
    private final AtomicReference<Target> target = new AtomicReference<>();

    /** @param schedule asks for a background compaction; called on the reading thread, without a lock */
    SeekCompactions(Runnable schedule) {
        this.schedule = schedule;
    }

    /** The store's seek compactions, or null when it has none (read-only, or turned off). */
    static SeekCompactions forStore(Options options, boolean readOnly, Runnable schedule) {
        return readOnly || !options.seekCompaction() ? null : new SeekCompactions(schedule);
    }

    /**
     * A new table's budget, LevelDB's: one seek per 16 KiB of the table, 100 at least. A probe
     * costs about what compacting some tens of KiB does, so a table that many reads probe in vain
     * is cheaper merged than left where it is.
     */
    static int allowedSeeks(long tableBytes) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(100, tableBytes / (16 << 10)));
    }

    /**
     * Charges a seek to file {@code index} of {@code files}, the layout of {@code level}; if its
     * budget is spent and no table is marked, marks it and schedules a compaction. Allocates only
     * when it marks.
     */
    void charge(LevelFiles files, int level, int index) {
        if (files.chargeSeek(index) <= 0 && target.get() == null
                && target.compareAndSet(null, new Target(level, files.file(index)))) {
            schedule.run();
        }
    }

    /**
     * The marked table if {@code state} still has it at its level (and that level has one below
     * to compact into), else null, forgetting a mark that no longer applies.
     */
    Target target(LevelState state) {
        Target marked = target.get();
        if (marked == null) {
            return null;
        }
        if (marked.level() < ManifestFormat.NUM_LEVELS - 1) {
            for (FileMetadata file : state.files(marked.level())) {
                if (file.number() == marked.file().number()) {
                    return marked;
                }
            }
        }
        target.compareAndSet(marked, null);
        return null;
    }
}
