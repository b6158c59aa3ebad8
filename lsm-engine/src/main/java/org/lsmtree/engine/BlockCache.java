package org.lsmtree.engine;

import static com.google.common.base.Preconditions.checkArgument;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.lsmtree.sstable.Block;

/**
 * A bounded cache of decoded table blocks, weighed in bytes, that one store or many share: give
 * the same instance to several stores ({@link Options#withBlockCache}) and their reads stay within
 * one figure, on the Java heap. A block enters the cache after its checksum and its keys were
 * checked on the read from the file, and is not checked again on a hit. Each store that opens
 * reads through a view of its own ({@link #forStore()}), so that two stores' equal file numbers
 * never meet; the blocks of a closed store or a deleted table are never asked for again and are
 * evicted as the cache fills (file numbers are not reused).
 *
 * <p>Tables read through a memory mapping (on the default file system, the usual case) serve
 * their uncompressed data blocks straight from the file and never put them here, as LevelDB does
 * for the tables it maps; such reads are counted beside the hits and misses
 * ({@link #mappedReads()}, {@link #mappedBytes()}), so a cache that stays empty while the store
 * is read says why. The cache then holds compressed blocks and the blocks of tables that are not
 * mapped (other file systems, files of 2 GiB or more).
 *
 * <p>Thread-safe (Caffeine); eviction runs on the calling thread, so no pool of its own is used.
 */
public final class BlockCache {
    /** Bytes a cached block costs beyond its contents (key, node, the block's own fields). */
    private static final int ENTRY_OVERHEAD = 96;
    private static final AtomicLong VIEWS = new AtomicLong();

    /**
     * A cached block's key. Immutable once in the cache; each thread also has one it changes and
     * only ever looks up with ({@link #PROBE}), so that a cache hit allocates nothing: Caffeine
     * keeps the key of the entry it stores, never the one it was asked with.
     */
    private static final class Key {
        private long view;
        private long table;
        private long offset;

        Key(long view, long table, long offset) {
            set(view, table, offset);
        }

        Key set(long view, long table, long offset) {
            this.view = view;
            this.table = table;
            this.offset = offset;
            return this;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && key.view == view && key.table == table && key.offset == offset;
        }

        @Override
        public int hashCode() {
            long h = (view * 31 + table) * 0x9e3779b97f4a7c15L + offset;
            return (int) (h ^ (h >>> 32));
        }
    }

    private static final ThreadLocal<Key> PROBE = ThreadLocal.withInitial(() -> new Key(0, 0, 0));

    private final long capacity;
    private final Cache<Key, Block> cache;
    /** Data blocks (and their bytes) served from mapped tables without the cache, over every store. */
    private final LongAdder mappedReads = new LongAdder();
    private final LongAdder mappedBytes = new LongAdder();
    /** Bytes of the capacity taken for memory held elsewhere ({@link #adjustReservation}); guarded by this. */
    private long reserved;

    private BlockCache(long capacity) {
        this.capacity = capacity;
        this.cache = capacity == 0 ? null : Caffeine.newBuilder()
                .maximumWeight(capacity)
                .weigher((Key key, Block block) -> block.size() + ENTRY_OVERHEAD)
                .executor(Runnable::run)
                .recordStats()
                .build();
    }

    /** A cache of at most {@code bytes} of blocks; 0 caches nothing. */
    public static BlockCache ofBytes(long bytes) {
        checkArgument(bytes >= 0, "a block cache of %s bytes", bytes);
        return new BlockCache(bytes);
    }

    /** The most bytes the cache holds. */
    public long capacity() {
        return capacity;
    }

    /**
     * Takes {@code delta} more bytes (fewer, when negative) of the capacity for memory held
     * elsewhere: memtables charged to the cache by a {@link WriteBufferManager}. Blocks may then
     * weigh at most the capacity less everything reserved; the cache evicts at once to get there.
     */
    synchronized void adjustReservation(long delta) {
        reserved += delta;
        if (cache != null) {
            cache.policy().eviction().ifPresent(e -> e.setMaximum(Math.max(0, capacity - reserved)));
        }
    }

    /** Bytes of the capacity reserved for memory held elsewhere (memtables charged to the cache). */
    public synchronized long reservedBytes() {
        return reserved;
    }

    /** The bytes the cached blocks weigh now. */
    public long usedBytes() {
        return cache == null ? 0 : cache.policy().eviction().map(e -> e.weightedSize().orElse(0L)).orElse(0L);
    }

    /** Reads served from the cache since it was made, over every store that reads through it. */
    public long hits() {
        return cache == null ? 0 : cache.stats().hitCount();
    }

    /** Reads that went to a table file since the cache was made. */
    public long misses() {
        return cache == null ? 0 : cache.stats().missCount();
    }

    /**
     * Data blocks that memory-mapped tables served from the file without the cache since it was
     * made, over every store that reads through it: neither hits nor misses.
     */
    public long mappedReads() {
        return mappedReads.sum();
    }

    /** The bytes of those {@link #mappedReads()}. */
    public long mappedBytes() {
        return mappedBytes.sum();
    }

    /**
     * Hits, misses and evictions since the cache was made, over every store that reads through it,
     * and the blocks mapped tables read without it.
     */
    public String describe() {
        String mapped = String.format("%d blocks (%d bytes) read from mapped tables without the cache",
                mappedReads(), mappedBytes());
        if (cache == null) {
            return "block cache: off; " + mapped;
        }
        CacheStats stats = cache.stats();
        String ratio = stats.requestCount() == 0 ? "-" : String.format("%.2f", stats.hitRate());
        return String.format("block cache: %d of %d bytes used, %d hits, %d misses (hit ratio %s), %d evictions; %s",
                usedBytes(), capacity, stats.hitCount(), stats.missCount(), ratio, stats.evictionCount(), mapped);
    }

    /**
     * A view for one open store: its tables' blocks under keys no other store uses. It counts the
     * blocks its mapped tables read without the cache even when the cache is off.
     */
    org.lsmtree.sstable.BlockCache forStore() {
        if (cache == null) {
            return new org.lsmtree.sstable.BlockCache() {
                @Override
                public Block get(long tableId, long blockOffset) {
                    return null;
                }

                @Override
                public void put(long tableId, long blockOffset, Block block) {}

                @Override
                public void recordMappedRead(int bytes) {
                    countMappedRead(bytes);
                }
            };
        }
        long view = VIEWS.incrementAndGet();
        return new org.lsmtree.sstable.BlockCache() {
            @Override
            public Block get(long tableId, long blockOffset) {
                return cache.getIfPresent(PROBE.get().set(view, tableId, blockOffset));
            }

            @Override
            public void put(long tableId, long blockOffset, Block block) {
                cache.put(new Key(view, tableId, blockOffset), block);
            }

            @Override
            public void recordMappedRead(int bytes) {
                countMappedRead(bytes);
            }
        };
    }

    private void countMappedRead(int bytes) {
        mappedReads.increment();
        mappedBytes.add(bytes);
    }
}
