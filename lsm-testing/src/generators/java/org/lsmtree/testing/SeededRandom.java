package org.lsmtree.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The source of every random input of one property-test case: a {@link Random} built from the
 * case's seed, plus the shapes of data our tests need. The same seed gives the same sequence of
 * calls the same answers, so a case is reproduced by its seed alone ({@link SeededCases}).
 *
 * <p>Draws are biased toward the values that break codecs: integers at every varint length
 * boundary and at the extremes, byte strings that are empty, one byte long, made only of
 * {@code 0x00} and {@code 0xff}, long, or huge (1 MiB), and keys that share long prefixes.
 * Lengths are spread evenly over their bit lengths, so short strings are as common as long ones.
 *
 * <p>It extends {@link Random} so that fixtures taking a {@code Random} draw from the case too.
 * Not thread-safe (one case, one thread).
 */
public final class SeededRandom extends Random {
    private static final long serialVersionUID = 1L;

    /** Size of {@link #hugeBytes()}: a value that spans many 32 KiB log blocks and table blocks. */
    public static final int HUGE = 1 << 20;

    private final long seed;
    /** Prefixes that {@link #key()} shares between keys, made on first use from this case's draws. */
    private final List<byte[]> prefixes = new ArrayList<>();

    /** The random source of the case with this seed. */
    public SeededRandom(long seed) {
        super(seed);
        this.seed = seed;
    }

    /** The seed this source was built from: what replays the case ({@code -Dlsm.seed}). */
    public long seed() {
        return seed;
    }

    /** A uniform int in {@code [min, max]}, both inclusive. */
    public int intBetween(int min, int max) {
        if (min > max) {
            throw new IllegalArgumentException("empty range [" + min + ", " + max + "]");
        }
        return (int) longBetween(min, max);
    }

    /** A uniform long in {@code [min, max]}, both inclusive; the whole long range is allowed. */
    public long longBetween(long min, long max) {
        if (min > max) {
            throw new IllegalArgumentException("empty range [" + min + ", " + max + "]");
        }
        long span = max - min + 1; // 0 when the range is all 2^64 longs
        if (span == 0) {
            return nextLong();
        }
        if (span > 0) {
            return min + (nextLong() & Long.MAX_VALUE) % span;
        }
        long value;
        do { // span over 2^63: draw until inside
            value = nextLong();
        } while (value < min || value > max);
        return value;
    }

    /** True once in {@code n} draws on average. */
    public boolean oneIn(int n) {
        return nextInt(n) == 0;
    }

    /** The index of a choice drawn with the given relative weights. */
    public int weighted(int... weights) {
        int total = 0;
        for (int weight : weights) {
            total += weight;
        }
        int draw = nextInt(total);
        for (int i = 0; i < weights.length; i++) {
            draw -= weights[i];
            if (draw < 0) {
                return i;
            }
        }
        throw new AssertionError("weights " + total);
    }

    /** One of {@code choices}, uniformly. */
    @SafeVarargs
    public final <T> T pick(T... choices) {
        return choices[nextInt(choices.length)];
    }

    /** Any int: one in eight an edge (0, ±1, the extremes, each varint length boundary), else any bit length. */
    public int anyInt() {
        if (oneIn(8)) {
            int k = intBetween(1, 4);
            return pick(0, 1, -1, Integer.MIN_VALUE, Integer.MAX_VALUE, (1 << 7 * k) - 1, 1 << 7 * k);
        }
        int bits = intBetween(0, 32);
        return bits == 0 ? 0 : nextInt() >>> (32 - bits);
    }

    /** Any long: one in eight an edge (0, ±1, the extremes, each varint length boundary), else any bit length. */
    public long anyLong() {
        if (oneIn(8)) {
            int k = intBetween(1, 9);
            return pick(0L, 1L, -1L, Long.MIN_VALUE, Long.MAX_VALUE, (1L << 7 * k) - 1, 1L << 7 * k,
                    0xffff_ffffL, (long) Integer.MIN_VALUE);
        }
        int bits = intBetween(0, 64);
        return bits == 0 ? 0 : nextLong() >>> (64 - bits);
    }

    /** A length in {@code [0, max]} whose bit length is uniform: short and long equally often. */
    public int lengthUpTo(int max) {
        int bits = intBetween(0, 32 - Integer.numberOfLeadingZeros(max));
        int bound = bits == 31 ? Integer.MAX_VALUE : (1 << bits) - 1;
        return nextInt(Math.min(max, bound) + 1);
    }

    /** {@code length} uniformly random bytes. */
    public byte[] bytes(int length) {
        byte[] bytes = new byte[length];
        nextBytes(bytes);
        return bytes;
    }

    /**
     * Bytes of at most {@code maxLength}: empty (1 in 10), one byte (1 in 10), only {@code 0x00}
     * and {@code 0xff} (1 in 5), else random, with lengths spread as {@link #lengthUpTo} spreads them.
     */
    public byte[] anyBytes(int maxLength) {
        switch (weighted(1, 1, 2, 6)) {
            case 0:
                return new byte[0];
            case 1:
                return maxLength == 0 ? new byte[0] : new byte[] {pick((byte) 0, (byte) 0xff, (byte) nextInt())};
            case 2: {
                byte[] bytes = new byte[lengthUpTo(maxLength)];
                for (int i = 0; i < bytes.length; i++) {
                    bytes[i] = nextBoolean() ? 0 : (byte) 0xff;
                }
                return bytes;
            }
            default:
                return bytes(lengthUpTo(maxLength));
        }
    }

    /** {@link #HUGE} to {@code HUGE + 3} random bytes. */
    public byte[] hugeBytes() {
        return bytes(HUGE + nextInt(4));
    }

    /**
     * A key: small {@link #anyBytes} (3 in 10), one of this case's shared prefixes plus a short
     * suffix (5 in 10; a prefix is 1 to 3 random bytes, 100 to 300 copies of one byte, or a run of
     * {@code 0xff}), or a long key of 64 to 1024 bytes (2 in 10).
     */
    public byte[] key() {
        switch (weighted(3, 5, 2)) {
            case 0:
                return anyBytes(16);
            case 1:
                return withSuffix(sharedPrefix(), anyBytes(6));
            default:
                return bytes(intBetween(64, 1024));
        }
    }

    /** A key that shares a prefix of random length with {@code other}, then goes on randomly. */
    public byte[] keyNear(byte[] other) {
        byte[] prefix = java.util.Arrays.copyOf(other, intBetween(0, other.length));
        if (oneIn(4) && prefix.length > 0) { // one step away at the last shared byte
            prefix[prefix.length - 1] += (byte) (nextBoolean() ? 1 : -1);
        }
        return withSuffix(prefix, anyBytes(8));
    }

    /** A value: {@link #anyBytes} of up to {@code maxLength} bytes, and one in {@code hugeOneIn} {@link #hugeBytes}. */
    public byte[] value(int maxLength, int hugeOneIn) {
        return oneIn(hugeOneIn) ? hugeBytes() : anyBytes(maxLength);
    }

    /**
     * A write batch's operations: up to {@code maxCount} mutations of {@link #key()}s, a quarter
     * of them deletes, puts with values of up to {@code maxValue} bytes; a key or value is huge one
     * time in {@code hugeOneIn}.
     */
    public List<Mutation> mutations(int maxCount, int maxValue, int hugeOneIn) {
        int count = lengthUpTo(maxCount);
        List<Mutation> mutations = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            byte[] key = oneIn(hugeOneIn) ? hugeBytes() : key();
            mutations.add(new Mutation(key, oneIn(4) ? null : value(maxValue, hugeOneIn)));
        }
        return mutations;
    }

    private byte[] sharedPrefix() {
        if (prefixes.isEmpty()) {
            prefixes.add(bytes(intBetween(1, 3)));
            byte[] run = new byte[intBetween(100, 300)];
            java.util.Arrays.fill(run, (byte) nextInt());
            prefixes.add(run);
            byte[] ones = new byte[intBetween(1, 8)];
            java.util.Arrays.fill(ones, (byte) 0xff);
            prefixes.add(ones);
        }
        return prefixes.get(nextInt(prefixes.size()));
    }

    private static byte[] withSuffix(byte[] prefix, byte[] suffix) {
        byte[] key = java.util.Arrays.copyOf(prefix, prefix.length + suffix.length);
        System.arraycopy(suffix, 0, key, prefix.length, suffix.length);
        return key;
    }
}
