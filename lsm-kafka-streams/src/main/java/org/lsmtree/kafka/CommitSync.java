package org.lsmtree.kafka;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.processor.StateStoreContext;

/**
 * When a store's commit writes its offsets and when it syncs the engine's log: the durability
 * each processing mode needs, at the least cost (docs/kafka-streams.md, "Durability").
 *
 * <ul>
 *   <li>A commit with nothing to write (no write since the last commit, the same offsets) writes
 *       nothing and syncs nothing, in every mode.
 *   <li>{@code syncEveryCommit} (exactly-once with transactional state stores): every commit that
 *       writes syncs, because the reopen after a crash must find the committed batch.
 *   <li>Otherwise (at-least-once, and exactly-once without transactional stores, whose unclean
 *       shutdown wipes the store anyway): a commit writes unsynced and syncs only when the last
 *       sync is {@value #SYNC_INTERVAL_CONFIG} or more ago; a clean close syncs. The engine loses
 *       unsynced writes only as a suffix and the offsets ride in the batch after the data they
 *       cover, so whatever survives a machine crash has offsets at or behind its data, and
 *       replaying the changelog from them converges; a sync only bounds that replay. A process
 *       crash loses nothing: unsynced writes are already with the operating system.
 * </ul>
 *
 * <p>Not thread-safe: used by the stream thread that commits.
 */
final class CommitSync {
    /** Application config: the longest time (ms) between two syncs of an unsynced-commit store. */
    static final String SYNC_INTERVAL_CONFIG = LsmStores.COMMIT_SYNC_INTERVAL_MS_CONFIG;
    static final long DEFAULT_SYNC_INTERVAL_MS = 10_000;

    private final boolean syncEveryCommit;
    private final long intervalNanos;
    private final LongSupplier nanoClock;
    private long lastSyncNanos;
    /** The offsets the last commit wrote; null until a commit wrote some in this run. */
    private Map<TopicPartition, Long> lastOffsets;
    private boolean changed = true;

    CommitSync(boolean syncEveryCommit, long intervalMs, LongSupplier nanoClock) {
        this.syncEveryCommit = syncEveryCommit;
        this.intervalNanos = Math.multiplyExact(intervalMs, 1_000_000L);
        this.nanoClock = nanoClock;
        this.lastSyncNanos = nanoClock.getAsLong();
    }

    /** The policy of a store of the task of {@code context}; {@code syncEveryCommit} when its writes are held until commit. */
    static CommitSync of(StateStoreContext context, boolean syncEveryCommit) {
        return new CommitSync(syncEveryCommit, intervalMs(context.appConfigs().get(SYNC_INTERVAL_CONFIG)),
                System::nanoTime);
    }

    /** Reads {@value #SYNC_INTERVAL_CONFIG}: a whole number of milliseconds, at least 0 (0 syncs every commit). */
    static long intervalMs(Object value) {
        if (value == null) {
            return DEFAULT_SYNC_INTERVAL_MS;
        }
        long ms;
        try {
            ms = value instanceof Number number ? number.longValue() : Long.parseLong(value.toString().trim());
        } catch (NumberFormatException e) {
            throw new ConfigException(SYNC_INTERVAL_CONFIG, value, "not a whole number of milliseconds");
        }
        if (ms < 0 || ms > Long.MAX_VALUE / 1_000_000L) {
            throw new ConfigException(SYNC_INTERVAL_CONFIG, value, "out of range (0 to " + Long.MAX_VALUE / 1_000_000L
                    + " ms)");
        }
        return ms;
    }

    /** Notes a write to the store since the last commit. */
    void written() {
        changed = true;
    }

    /** Whether a commit of {@code offsets} has anything to write. */
    boolean needsWrite(Map<TopicPartition, Long> offsets) {
        return changed || lastOffsets == null || !lastOffsets.equals(offsets);
    }

    /** Whether the commit about to write should sync. */
    boolean syncDue() {
        return syncEveryCommit || nanoClock.getAsLong() - lastSyncNanos >= intervalNanos;
    }

    /** Records that a commit wrote {@code offsets}, synced or not. */
    void committed(Map<TopicPartition, Long> offsets, boolean synced) {
        lastOffsets = new HashMap<>(Objects.requireNonNull(offsets, "offsets"));
        changed = false;
        if (synced) {
            synced();
        }
    }

    /** Records a sync of the store's log (a commit's, a flush, a close). */
    void synced() {
        lastSyncNanos = nanoClock.getAsLong();
    }
}
