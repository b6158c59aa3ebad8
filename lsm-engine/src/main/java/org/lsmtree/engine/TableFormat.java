package org.lsmtree.engine;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import org.lsmtree.format.iterator.InternalIterator;
import org.lsmtree.format.iterator.Slice;

/**
 * What the engine needs of sorted table files: write one from entries in internal-key order,
 * and open one for point lookups and iteration. The implementation over {@code lsm-sstable}
 * applies the store's {@link Options} (block size, restart interval, bloom filter, compression,
 * checksum verification).
 */
interface TableFormat {

    /** The name a new table {@code number} gets in {@code directory}. */
    Path fileFor(Path directory, long number);

    /** Starts a new table file at {@code file} (replacing any file of that name). */
    TableSink create(Path file) throws IOException;

    /** Opens the table {@code number} at {@code file}, {@code size} bytes long as the MANIFEST says. */
    TableSource open(Path file, long number, long size) throws IOException;

    /** A line on the block cache the tables read through (size, use, hits, misses). */
    default String describeCache() {
        return "block cache: none";
    }

    /**
     * Bytes the tables hold in memory: the block cache they read through (all of it, when shared)
     * plus what open tables keep outside it (their index and filter blocks).
     */
    default long cacheBytes() {
        return 0;
    }

    /** A table being written. Not thread-safe. */
    interface TableSink extends Closeable {
        /**
         * Adds the entry the views show; keys must come in increasing internal-key order. The
         * bytes are copied before this returns (the views may move on: a memtable's or a merging
         * iterator's current entry), and nothing is allocated per entry.
         */
        void add(Slice internalKey, Slice value) throws IOException;

        /** Adds an entry given as arrays, as {@link #add(Slice, Slice)} does. */
        default void add(byte[] internalKey, byte[] value) throws IOException {
            add(new Slice().set(internalKey), new Slice().set(value));
        }

        /** Bytes the file will take so far (to cut compaction outputs). */
        long estimatedSize();

        /**
         * Writes the rest of the table, syncs it and closes it; returns its size in bytes. With
         * {@link Options#paranoidFileChecks()} on, then reads it back ({@link OutputCheck}): a
         * table that does not hold what was added is a {@code CorruptionException} naming it.
         */
        long finish() throws IOException;

        /** Closes without finishing (the caller deletes the file). */
        @Override
        void close() throws IOException;
    }

    /** An open table. Thread-safe: many readers at once. */
    interface TableSource extends Closeable {
        /**
         * What the table says of the user key of {@code internalKey} at that key's sequence: the
         * value of its newest entry at or before the sequence when that is a put (a fresh array),
         * {@link #TOMBSTONE} (compare by identity) when it is a deletion, null when the table has
         * no entry of the user key there (or its filter rules the key out). Allocates only the
         * value it returns (on a block cache hit, in the bytewise order).
         */
        byte[] lookup(byte[] internalKey, boolean verifyChecksums) throws IOException;

        /** An iterator over every entry, in internal-key order. */
        InternalIterator iterator(boolean verifyChecksums) throws IOException;

        /** The entries the table records holding (its properties block), or -1 when it records none. */
        default long recordedEntries() throws IOException {
            return -1;
        }
    }

    /** What {@link TableSource#lookup} returns for a deletion: this array itself, never a value. */
    byte[] TOMBSTONE = new byte[0];
}
