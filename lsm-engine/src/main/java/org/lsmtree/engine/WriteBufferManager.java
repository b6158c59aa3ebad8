package org.lsmtree.engine;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A limit on the bytes of the memtables of several stores together: give the same instance to
 * each ({@link Options#withWriteBufferManager}) and the sum of their memtables, mutable and
 * immutable, stays at the limit (passed by at most one write per store writing at that moment,
 * see below) however many stores there are. Each store still switches its own memtable at
 * {@link Options#writeBufferSize()}; the manager adds two rules across the stores, as RocksDB's
 * write-buffer manager does:
 * <ol>
 *   <li><b>Switch the largest.</b> When the mutable memtables of the stores reach 7/8 of the
 *       limit, the largest mutable memtable among them (of a store whose previous one is not
 *       still waiting for its flush) is switched for a new one and its flush scheduled, whichever
 *       store's write noticed it. The largest, because one flush then frees the most memory and
 *       writes the fewest level-0 files; at 7/8, so that memory is on its way out before the limit
 *       is reached and writes rarely wait. Immutable memtables do not count towards this trigger:
 *       their bytes are already being freed, and counting them would switch more memtables (more,
 *       smaller level-0 files) merely because flushes are slow.
 *   <li><b>Stall at the limit.</b> A write that finds the memtables at the limit or above waits,
 *       with the existing stall machinery of its store (counted in {@code lsm.stats} stall time):
 *       it runs a flush that waits for its executor itself (the largest immutable memtable first),
 *       so that no stall depends on an executor's progress, or else waits for a running flush to
 *       free memory; then it decides again.
 * </ol>
 * A store's write leader checks the total before its write and adds its bytes after, without a
 * lock shared with the other stores; so stores writing at the same moment may each pass the limit
 * by one write. A store joins when it opens for writing and leaves when it closes or turns
 * read-only after a failed write (its bytes are released then, so that it never holds the budget
 * of the others; it joins again on a successful {@link Db#resume()}). A store opened read-only
 * does not join.
 *
 * <p>Charged to a {@link BlockCache} ({@link #chargedTo}, or {@link MemoryBudget}), the memtables'
 * bytes are also reserved out of the cache's capacity, rounded up to a chunk of 1/16 of the limit
 * (between 1 KiB and 1 MiB, so that the cache's maximum changes once per chunk, not per write): the
 * cache's blocks and the memtables then stay within the cache's capacity together.
 *
 * <p>Thread-safe. The totals are atomic; the monitor guards the reservation and the count of
 * releases that stalled writers wait on. Lock order: a store's write lock, then this monitor; a
 * store is called into (to switch or flush) with neither held.
 */
public final class WriteBufferManager {
    /** How long a stalled writer waits for memory to be released before it looks again. */
    private static final long WAIT_MILLIS = 50;

    /** What the memtable budget asks of a write. */
    enum Verdict { WITHIN, SWITCH_OWN, SWITCH_OTHER, WAIT }

    private final long limit;
    private final BlockCache cache;
    private final long chunk;
    private final Set<WriteBufferShare> shares = ConcurrentHashMap.newKeySet();
    private final AtomicLong used = new AtomicLong();
    private final AtomicLong immutable = new AtomicLong();
    private final AtomicLong switches = new AtomicLong();
    private final AtomicLong flushesRun = new AtomicLong();
    private volatile long reserved;
    private long releases; // guarded by this

    private WriteBufferManager(long limit, BlockCache cache) {
        checkArgument(limit >= 1024, "a write-buffer limit of %s bytes is under 1 KiB", limit);
        this.limit = limit;
        this.cache = cache;
        this.chunk = Math.max(1024, Math.min(1L << 20, limit / 16));
    }

    /** A manager keeping the memtables of the stores given it within {@code limit} bytes. */
    public static WriteBufferManager ofBytes(long limit) {
        return new WriteBufferManager(limit, null);
    }

    /**
     * A manager keeping memtables within {@code limit} bytes whose bytes are also taken out of
     * {@code cache}'s capacity, so that blocks and memtables share one figure; {@code limit} may
     * not exceed the cache's capacity.
     */
    public static WriteBufferManager chargedTo(BlockCache cache, long limit) {
        checkNotNull(cache, "cache");
        checkArgument(limit <= cache.capacity(), "a write-buffer limit of %s bytes passes the block cache's %s",
                limit, cache.capacity());
        return new WriteBufferManager(limit, cache);
    }

    /** The most bytes the memtables of the sharing stores hold together. */
    public long limit() {
        return limit;
    }

    /** Bytes in the memtables (mutable and immutable) of the stores sharing this manager now. */
    public long usedBytes() {
        return used.get();
    }

    /** Of {@link #usedBytes()}, the bytes of immutable memtables, waiting for or in their flush. */
    public long flushingBytes() {
        return immutable.get();
    }

    /** Stores sharing the manager now. */
    public int stores() {
        return shares.size();
    }

    /** Memtables switched by the first rule (the largest, at 7/8 of the limit) since the manager was made. */
    public long switches() {
        return switches.get();
    }

    /** The block cache the memtables are charged to, or null. */
    public BlockCache chargedCache() {
        return cache;
    }

    /** One line for {@code lsm.stats}: stores, use, limit, switches and the reservation in the cache. */
    public String describe() {
        return String.format("write buffers: %d of %d bytes (%d being flushed) over %d stores, %d memtables switched"
                + " for the limit, %d flushes run by stalled writers%s", used.get(), limit, immutable.get(),
                shares.size(), switches.get(), flushesRun.get(),
                cache == null ? "" : ", " + reserved + " bytes reserved in the block cache");
    }

    void join(WriteBufferShare share) {
        shares.add(share);
    }

    void leave(WriteBufferShare share) {
        shares.remove(share);
    }

    /** Adds {@code usedDelta} bytes (of which {@code immutableDelta} immutable) to the totals; a release wakes stalled writers. */
    void changed(long usedDelta, long immutableDelta) {
        long now = used.addAndGet(usedDelta);
        immutable.addAndGet(immutableDelta);
        if (cache != null && (now + chunk - 1) / chunk * chunk != reserved) {
            reserve();
        }
        if (usedDelta < 0) {
            synchronized (this) {
                releases++;
                notifyAll();
            }
        }
    }

    private synchronized void reserve() {
        long want = (used.get() + chunk - 1) / chunk * chunk;
        if (want != reserved) {
            cache.adjustReservation(want - reserved);
            reserved = want;
        }
    }

    /**
     * What the budget asks of the next write of {@code self}'s store; {@code mayAskOthers} false
     * when this write tried to switch another store's memtable and that store could not.
     */
    Verdict verdict(WriteBufferShare self, boolean mayAskOthers) {
        long total = used.get();
        if (total - immutable.get() >= limit / 8 * 7) {
            WriteBufferShare largest = largestSwitchable();
            if (largest == self || (largest != null && mayAskOthers)) {
                return largest == self ? Verdict.SWITCH_OWN : Verdict.SWITCH_OTHER;
            }
        }
        return total >= limit ? Verdict.WAIT : Verdict.WITHIN;
    }

    /**
     * Acts on {@link Verdict#SWITCH_OTHER} ({@code switchOther}) or {@link Verdict#WAIT} for a
     * writer of {@code self}'s store, which holds no store's lock: switches the largest other
     * memtable, or runs a flush waiting for its executor, or waits up to {@value #WAIT_MILLIS} ms
     * for memory to be released. The writer decides again afterwards. Returns false when asked to
     * switch another memtable and none could be switched.
     */
    boolean makeRoom(WriteBufferShare self, boolean switchOther) throws InterruptedIOException {
        long seen;
        synchronized (this) {
            seen = releases;
        }
        if (switchOther) {
            WriteBufferShare largest = largestSwitchable();
            if (largest != null && largest != self && largest.store().flushOrSwitch(true)) {
                switches.incrementAndGet();
                return true;
            }
        }
        if (used.get() < limit) {
            return !switchOther;
        }
        List<WriteBufferShare> pending = new ArrayList<>();
        for (WriteBufferShare share : shares) {
            if (share.immutableBytes() > 0) {
                pending.add(share);
            }
        }
        pending.sort(Comparator.comparingLong(WriteBufferShare::immutableBytes).reversed());
        for (WriteBufferShare share : pending) {
            if (share.store().flushOrSwitch(false)) {
                flushesRun.incrementAndGet();
                return true;
            }
        }
        synchronized (this) {
            if (releases == seen && used.get() >= limit) {
                try {
                    wait(WAIT_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while waiting for memtable memory to be released");
                }
            }
        }
        return true;
    }

    /** The store with the largest mutable memtable that can be switched now, or null. */
    private WriteBufferShare largestSwitchable() {
        WriteBufferShare largest = null;
        for (WriteBufferShare share : shares) {
            if (share.immutableBytes() == 0 && share.mutableBytes() > 0
                    && (largest == null || share.mutableBytes() > largest.mutableBytes())) {
                largest = share;
            }
        }
        return largest;
    }
}
