package org.lsmtree.engine;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.lsmtree.format.iterator.Slice;

/**
 * A store's read sampling for {@link SeekCompactions}, as LevelDB's {@code DBIter} does it: an
 * iterator reports every entry it passes ({@link #read}) with the bytes it may still read before
 * its next sample; once the bytes of keys and values read pass that random period (uniform below
 * twice {@link SeekCompactions#READ_BYTES_PERIOD}, so one sample per MiB on average), the entry's
 * key is sampled: the current version charges the first of the tables holding it if two or more
 * do ({@link Version#recordReadSample}). An entry larger than a period is sampled once per period
 * it spans.
 *
 * <p>One per store, shared by its iterators, each of which keeps its own count as a plain
 * {@code long}: making an iterator allocates nothing here, and reading allocates only when it
 * samples (a copy of the key). The periods come from one SplitMix64 sequence started at a fixed
 * seed, so that a single-threaded test's run replays. Thread-safe.
 */
final class ReadSampler {
    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

    private final Supplier<Version> current;
    private final AtomicLong random = new AtomicLong();

    /** @param current the store's current version, asked at each sample */
    ReadSampler(Supplier<Version> current) {
        this.current = current;
    }

    /**
     * Counts an entry passed: its internal key {@code key} and a value of {@code valueLength}
     * bytes, with {@code bytesUntilSample} left before the iterator's next sample; samples the key
     * if it reaches that point, and returns the bytes left after it.
     */
    long read(long bytesUntilSample, Slice key, int valueLength) {
        long bytes = key.length() + (long) valueLength;
        while (bytesUntilSample < bytes) {
            bytesUntilSample += period();
            current.get().recordReadSample(key.toByteArray());
        }
        return bytesUntilSample - bytes;
    }

    /**
     * A new random period (a new iterator's first one too): the next SplitMix64 output, taken
     * below twice the mean period.
     */
    long period() {
        long z = random.addAndGet(GOLDEN_GAMMA);
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        z ^= z >>> 31;
        return Math.floorMod(z, 2L * SeekCompactions.READ_BYTES_PERIOD);
    }
}
