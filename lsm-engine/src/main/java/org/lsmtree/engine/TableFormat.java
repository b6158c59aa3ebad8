package org.lsmtree.engine;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import org.lsmtree.format.iterator.InternalIterator;

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

    /** A table being written. Not thread-safe. */
    interface TableSink extends Closeable {
        /** Adds an entry; keys must come in increasing internal-key order. */
        void add(byte[] internalKey, byte[] value) throws IOException;

        /** Bytes the file will take so far (to cut compaction outputs). */
        long estimatedSize();

        /** Writes the rest of the table, syncs it and closes it; returns its size in bytes. */
        long finish() throws IOException;

        /** Closes without finishing (the caller deletes the file). */
        @Override
        void close() throws IOException;
    }

    /** An open table. Thread-safe: many readers at once. */
    interface TableSource extends Closeable {
        /**
         * The first entry at or after {@code internalKey} (whose user key is {@code userKey}), or
         * null; may return null at once when the table's filter says the user key is absent.
         */
        Entry seek(byte[] internalKey, byte[] userKey, boolean verifyChecksums) throws IOException;

        /** An iterator over every entry, in internal-key order. */
        InternalIterator iterator(boolean verifyChecksums) throws IOException;

        /** The entries the table records holding (its properties block), or -1 when it records none. */
        default long recordedEntries() throws IOException {
            return -1;
        }
    }

    /** One entry of a table. */
    record Entry(byte[] key, byte[] value) {}
}
