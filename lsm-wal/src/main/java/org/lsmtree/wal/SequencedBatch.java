package org.lsmtree.wal;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import org.lsmtree.format.key.InternalKey;

/**
 * A write batch with the sequence of its first entry, as one WAL record holds it. Its entries
 * take sequences {@link #sequence()} to {@link #lastSequence()}.
 */
public record SequencedBatch(long sequence, WriteBatch batch) {

    public SequencedBatch {
        checkNotNull(batch, "batch");
        checkArgument(sequence >= 0 && sequence + Math.max(0, batch.count() - 1) <= InternalKey.MAX_SEQUENCE,
                "sequences %s + %s entries outside [0, 2^56 - 1]", sequence, batch.count());
    }

    /** The sequence of the last entry; for an empty batch, one less than {@link #sequence()}. */
    public long lastSequence() {
        return sequence + batch.count() - 1;
    }
}
