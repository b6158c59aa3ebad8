package org.lsmtree.engine;

import java.util.function.Supplier;
import org.lsmtree.format.iterator.Slice;

/**
 * An iterator's read sampling for {@link SeekCompactions}, as LevelDB's {@code DBIter} does it:
 * the iterator reports every entry it passes ({@link #read}); once the bytes of keys and values
 * read pass a random period (uniform below twice {@link SeekCompactions#READ_BYTES_PERIOD}, so
 * one sample per MiB on average), the entry's key is sampled: the current version charges the
 * first of the tables holding it if two or more do ({@link Version#recordReadSample}). An entry
 * larger than a period is sampled once per period it spans.
 *
 * <p>Allocates only when it samples (a copy of the key). The random sequence follows the seed
 * the store gave, so that a test's run replays. Not thread-safe: the iterator's thread alone.
 */
final class ReadSampler {
    private final Supplier<Version> current;
    private long random;
    private long bytesUntilSample;

    ReadSampler(Supplier<Version> current, long seed) {
        this.current = current;
        this.random = seed;
        this.bytesUntilSample = nextPeriod();
    }

    /** Counts an entry passed: its internal key {@code key} and a value of {@code valueLength} bytes. */
    void read(Slice key, int valueLength) {
        long bytes = key.length() + (long) valueLength;
        while (bytesUntilSample < bytes) {
            bytesUntilSample += nextPeriod();
            current.get().recordReadSample(key.toByteArray());
        }
        bytesUntilSample -= bytes;
    }

    /** The next period: SplitMix64's step, taken below twice the mean period. */
    private long nextPeriod() {
        random += 0x9e3779b97f4a7c15L;
        long z = random;
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        z ^= z >>> 31;
        return Math.floorMod(z, 2L * SeekCompactions.READ_BYTES_PERIOD);
    }
}
