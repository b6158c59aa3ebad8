package org.lsmtree.sstable;

/**
 * Where a {@link TableReader} keeps uncompressed blocks between reads. The key is the table's id
 * (the engine uses the file number) and the block's offset in that table; the value is the
 * immutable parsed {@link Block}, weighed by {@link Block#size()}. The engine plugs a bounded
 * cache (Caffeine) in here; {@link #NONE} caches nothing. A reader puts a data block only after
 * it passed {@link DataBlockCheck} against the index entry it was read through, and does not check
 * a cached block again.
 *
 * <p>A table whose file is memory-mapped serves its uncompressed data blocks from the file and
 * does not cache them ({@link MappedBlocks}); it reports each such read through
 * {@link #recordMappedRead}, so that a user sees why the cache stays empty.
 *
 * <p>Implementations must be thread-safe: many readers of many tables call them at once. A cache
 * may drop any entry at any time.
 */
public interface BlockCache {

    /** Caches nothing: every read goes to the file. */
    BlockCache NONE = new BlockCache() {
        @Override
        public Block get(long tableId, long blockOffset) {
            return null;
        }

        @Override
        public void put(long tableId, long blockOffset, Block block) {}
    };

    /** The cached block of table {@code tableId} at {@code blockOffset}, or null. */
    Block get(long tableId, long blockOffset);

    /** Caches {@code block} (replacing any block under the same key). */
    void put(long tableId, long blockOffset, Block block);

    /**
     * Told of a data block of {@code bytes} bytes that a reader served from a memory-mapped file
     * without the cache. Called on every such read: must be cheap and allocate nothing. Does
     * nothing unless the implementation counts.
     */
    default void recordMappedRead(int bytes) {}
}
