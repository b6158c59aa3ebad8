package org.lsmtree.kafka;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The binary key of one window entry: the user key, then the window start (8 bytes, big-endian),
 * then a sequence number (4 bytes, big-endian; 0 unless the store keeps duplicates). It is the
 * layout Kafka Streams writes to a window store's changelog, so changelog records restore as they
 * are, and it sorts by key, then time. Stateless.
 */
final class WindowKeys {
    static final int SUFFIX = 12;

    private WindowKeys() {}

    static byte[] encode(byte[] key, long windowStart, int seq) {
        return ByteBuffer.allocate(key.length + SUFFIX).put(key).putLong(windowStart).putInt(seq).array();
    }

    static byte[] key(byte[] binary) {
        return Arrays.copyOf(binary, binary.length - SUFFIX);
    }

    static long windowStart(byte[] binary) {
        return ByteBuffer.wrap(binary).getLong(binary.length - SUFFIX);
    }

    /** Whether {@code binary} is long enough to hold the suffix. */
    static boolean valid(byte[] binary) {
        return binary.length >= SUFFIX;
    }
}
