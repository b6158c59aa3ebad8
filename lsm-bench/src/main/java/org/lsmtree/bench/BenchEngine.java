package org.lsmtree.bench;

import java.io.IOException;

/**
 * One engine under measurement, behind the few calls the workloads make. Implementations apply
 * the shared {@link BenchSettings} wherever the engine has the knob, and say in
 * {@link EngineKind#lacks()} which knobs it lacks.
 *
 * <p>Threads: {@code put}, {@code delete}, {@code get} and {@link #cursor()} may be called from
 * many threads at once (every engine here is thread-safe for those); a {@link Cursor} belongs to
 * one thread. An operation the engine cannot do throws {@link UnsupportedOperationException}.
 */
interface BenchEngine extends AutoCloseable {

    void put(byte[] key, byte[] value, boolean sync) throws IOException;

    void delete(byte[] key) throws IOException;

    /** The value of key, or null when absent. */
    byte[] get(byte[] key) throws IOException;

    /** Walks every entry from the first key to the last, reading each value; returns how many. */
    long scanForward() throws IOException;

    /** Walks every entry from the last key to the first, reading each value; returns how many. */
    long scanReverse() throws IOException;

    /** An iterator for seekrandom, kept open over many seeks (as db_bench does). */
    Cursor cursor() throws IOException;

    /** Compacts the whole key range. */
    void compactAll() throws IOException;

    /** Waits (untimed) until the engine's background flushes and compactions have stopped. */
    void settle() throws IOException;

    @Override
    void close() throws IOException;

    /** A positioned iterator over the store. Not thread-safe. */
    interface Cursor extends AutoCloseable {
        /** Moves to the first key at or after target; true when that key is target itself. */
        boolean seek(byte[] target) throws IOException;

        /** Reads up to count entries from the current one on, stepping forward; returns how many. */
        int read(int count) throws IOException;

        @Override
        void close() throws IOException;
    }
}
