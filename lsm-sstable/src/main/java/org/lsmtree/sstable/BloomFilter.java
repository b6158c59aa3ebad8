package org.lsmtree.sstable;

import com.google.common.base.Preconditions;
import java.util.List;
import org.lsmtree.format.LittleEndian;

/**
 * LevelDB's builtin bloom filter ({@value SstableFormat#BLOOM_POLICY_NAME}), bit for bit.
 *
 * <p>A filter over {@code n} keys is {@code max(64, n * bitsPerKey)} bits rounded up to whole
 * bytes, followed by one byte holding the probe count {@code k = clamp(bitsPerKey * 0.69, 1, 30)}
 * (0.69 ~ ln 2, the count that minimizes false positives). Each key is hashed once with
 * {@link #hash} (seed {@value SstableFormat#BLOOM_HASH_SEED}); the probes use double hashing: the
 * first bit is {@code h mod bits}, and each next one adds {@code delta = rotr(h, 17)} to {@code h}
 * (32-bit unsigned arithmetic throughout). Bit {@code i} is bit {@code i mod 8} of byte
 * {@code i / 8}.
 *
 * <p>Reading: a filter shorter than 2 bytes matches nothing; a probe count above 30 is reserved
 * for future encodings and matches everything. Stateless and thread-safe.
 */
final class BloomFilter {
    private static final int MULTIPLIER = 0xc6a4a793;

    private final int bitsPerKey;
    private final int probes;

    BloomFilter(int bitsPerKey) {
        Preconditions.checkArgument(bitsPerKey > 0, "bits per key %s must be positive", bitsPerKey);
        this.bitsPerKey = bitsPerKey;
        this.probes = Math.max(1, Math.min(SstableFormat.MAX_BLOOM_PROBES, (int) (bitsPerKey * 0.69)));
    }

    /** The filter over {@code keys}, as a new array (bit array then probe count). */
    byte[] create(List<byte[]> keys) {
        int total = 0;
        for (byte[] key : keys) {
            total += key.length;
        }
        byte[] flat = new byte[total];
        int[] starts = new int[keys.size() + 1];
        for (int i = 0; i < keys.size(); i++) {
            byte[] key = keys.get(i);
            System.arraycopy(key, 0, flat, starts[i], key.length);
            starts[i + 1] = starts[i] + key.length;
        }
        return create(flat, starts, keys.size());
    }

    /**
     * The filter over {@code count} keys laid end to end in {@code keys}: key {@code i} is
     * {@code keys[starts[i], starts[i + 1])}, so {@code starts} holds {@code count + 1} offsets.
     */
    byte[] create(byte[] keys, int[] starts, int count) {
        int bits = Math.max(64, count * bitsPerKey);
        int bytes = (bits + 7) / 8;
        bits = bytes * 8;
        byte[] filter = new byte[bytes + 1];
        filter[bytes] = (byte) probes;
        for (int i = 0; i < count; i++) {
            int h = hash(keys, starts[i], starts[i + 1] - starts[i]);
            int delta = Integer.rotateRight(h, 17);
            for (int j = 0; j < probes; j++) {
                int bit = (int) Integer.remainderUnsigned(h, bits);
                filter[bit >>> 3] |= (byte) (1 << (bit & 7));
                h += delta;
            }
        }
        return filter;
    }

    /** Whether {@code key} may be among the keys of the filter in {@code filter[offset, offset+length)}. */
    static boolean mayContain(byte[] filter, int offset, int length, byte[] key) {
        return mayContain(filter, offset, length, key, key.length);
    }

    /**
     * Whether {@code key[0, keyLength)} may be among the keys of the filter in
     * {@code filter[offset, offset+length)}; hashes the key where it lies.
     */
    static boolean mayContain(byte[] filter, int offset, int length, byte[] key, int keyLength) {
        if (length < 2) {
            return false;
        }
        int k = filter[offset + length - 1] & 0xff;
        if (k > SstableFormat.MAX_BLOOM_PROBES) {
            return true;
        }
        int bits = (length - 1) * 8;
        int h = hash(key, 0, keyLength);
        int delta = Integer.rotateRight(h, 17);
        for (int j = 0; j < k; j++) {
            int bit = Integer.remainderUnsigned(h, bits);
            if ((filter[offset + (bit >>> 3)] & (1 << (bit & 7))) == 0) {
                return false;
            }
            h += delta;
        }
        return true;
    }

    /**
     * Whether the non-empty filter in {@code filter[offset, offset+length)} answers "no" for every
     * key: one byte long, or no bit set under a probe count {@link #mayContain} honours (1 to 30).
     * A filter {@link #create} writes for at least one key sets a bit for each, so such a filter is
     * damage.
     */
    static boolean matchesNothing(byte[] filter, int offset, int length) {
        if (length < 2) {
            return true;
        }
        int k = filter[offset + length - 1] & 0xff;
        if (k == 0 || k > SstableFormat.MAX_BLOOM_PROBES) {
            return false;
        }
        for (int i = offset; i < offset + length - 1; i++) {
            if (filter[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** LevelDB's 32-bit hash of {@code data[offset, offset+length)} with the bloom seed. */
    static int hash(byte[] data, int offset, int length) {
        int h = SstableFormat.BLOOM_HASH_SEED ^ (length * MULTIPLIER);
        int at = offset;
        int end = offset + length;
        for (; at + 4 <= end; at += 4) {
            h += LittleEndian.getFixed32(data, at);
            h *= MULTIPLIER;
            h ^= h >>> 16;
        }
        int rest = end - at;
        if (rest > 0) {
            if (rest == 3) {
                h += (data[at + 2] & 0xff) << 16;
            }
            if (rest >= 2) {
                h += (data[at + 1] & 0xff) << 8;
            }
            h += data[at] & 0xff;
            h *= MULTIPLIER;
            h ^= h >>> 24;
        }
        return h;
    }

    int bitsPerKey() {
        return bitsPerKey;
    }
}
