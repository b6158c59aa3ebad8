package org.lsmtree.kafka;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The binary key of one session: the user key, then the session end and the session start (8
 * bytes each, big-endian). It is the layout Kafka Streams writes to a session store's changelog,
 * so changelog records restore as they are; it sorts by key, then end time. Stateless.
 */
final class SessionKeys {
    static final int SUFFIX = 16;

    private SessionKeys() {}

    static byte[] encode(byte[] key, long start, long end) {
        return ByteBuffer.allocate(key.length + SUFFIX).put(key).putLong(end).putLong(start).array();
    }

    static byte[] key(byte[] binary) {
        return Arrays.copyOf(binary, binary.length - SUFFIX);
    }

    static long end(byte[] binary) {
        return ByteBuffer.wrap(binary).getLong(binary.length - SUFFIX);
    }

    static long start(byte[] binary) {
        return ByteBuffer.wrap(binary).getLong(binary.length - 8);
    }

    static boolean valid(byte[] binary) {
        return binary.length >= SUFFIX;
    }
}
