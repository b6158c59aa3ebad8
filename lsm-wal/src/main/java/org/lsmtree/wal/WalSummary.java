package org.lsmtree.wal;

/**
 * What a pass over a WAL found: records read, batches and entries replayed, the sequence range,
 * the file's size, the bytes dropped by problems, and the zeros after the last record that a
 * preallocating writer left unused ({@code unusedPreallocation}; not a problem, and not counted in
 * {@code bytesDropped}). {@code firstSequence} and {@code lastSequence} are -1 when no batch was
 * replayed.
 */
public record WalSummary(long records, long batches, long entries, long puts, long deletes,
        long firstSequence, long lastSequence, long bytes, long bytesDropped, long unusedPreallocation) {}
