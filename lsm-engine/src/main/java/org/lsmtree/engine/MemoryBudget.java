package org.lsmtree.engine;

/**
 * One memory figure for any number of stores: a {@link BlockCache} of {@code totalBytes} and a
 * {@link WriteBufferManager} limiting the memtables to {@code memtableBytes} whose bytes are
 * reserved out of that cache, so that blocks and memtables of every store given the budget
 * ({@link Options#withMemoryBudget}) stay within {@code totalBytes} together (passed by at most one
 * write per store writing at that moment). Everything is on the Java heap: the JVM's limits and
 * heap tools see it. Open tables' index and filter blocks are held beside the cache.
 *
 * <pre>{@code
 * MemoryBudget budget = MemoryBudget.of(256L << 20, 64L << 20); // 256 MiB in all, memtables up to 64 of them
 * Options options = Options.defaults().withMemoryBudget(budget);  // the same for every store
 * }</pre>
 *
 * <p>Thread-safe (its parts are).
 */
public final class MemoryBudget {
    private final BlockCache cache;
    private final WriteBufferManager writeBuffers;

    private MemoryBudget(BlockCache cache, WriteBufferManager writeBuffers) {
        this.cache = cache;
        this.writeBuffers = writeBuffers;
    }

    /**
     * A budget of {@code totalBytes} for blocks and memtables together, of which memtables may
     * take up to {@code memtableBytes} (at least 1 KiB, at most {@code totalBytes}); the cache has
     * whatever the memtables do not use.
     */
    public static MemoryBudget of(long totalBytes, long memtableBytes) {
        BlockCache cache = BlockCache.ofBytes(totalBytes);
        return new MemoryBudget(cache, WriteBufferManager.chargedTo(cache, memtableBytes));
    }

    /** The cache the stores read through; its capacity is the whole budget. */
    public BlockCache blockCache() {
        return cache;
    }

    /** The manager limiting the stores' memtables, charged to {@link #blockCache()}. */
    public WriteBufferManager writeBufferManager() {
        return writeBuffers;
    }

    /** The budget: blocks and memtables together. */
    public long totalBytes() {
        return cache.capacity();
    }

    /** Bytes of blocks and memtables held now. */
    public long usedBytes() {
        return cache.usedBytes() + writeBuffers.usedBytes();
    }

    /** One line: the budget, blocks and memtables held, and the stores sharing it. */
    public String describe() {
        return String.format("memory budget: %d of %d bytes used (blocks %d, memtables %d of at most %d) by %d stores",
                usedBytes(), totalBytes(), cache.usedBytes(), writeBuffers.usedBytes(), writeBuffers.limit(),
                writeBuffers.stores());
    }
}
