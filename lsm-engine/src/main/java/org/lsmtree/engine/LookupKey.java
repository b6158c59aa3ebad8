package org.lsmtree.engine;

import org.lsmtree.format.LittleEndian;
import org.lsmtree.format.key.InternalKey;
import org.lsmtree.format.key.ValueType;

/**
 * The internal key a point lookup seeks to in the tables: the user key with the snapshot's
 * sequence and the seek type, so that it sorts before every entry of that user key the snapshot
 * sees. Built into one array per thread, reused while the user keys keep their length (as they
 * usually do), so that a lookup allocates no key.
 *
 * <p>The array returned is valid until the same thread asks again; it must not be kept or
 * handed to code that keeps it. Thread-safe (one buffer per thread).
 */
final class LookupKey {
    /** Longer user keys get an array of their own, so no thread holds a large buffer for good. */
    private static final int MAX_REUSED = 256;
    private static final ThreadLocal<byte[][]> BUFFER = ThreadLocal.withInitial(() -> new byte[1][]);

    private LookupKey() {}

    static byte[] of(byte[] userKey, long snapshot) {
        int length = userKey.length + InternalKey.TRAILER_SIZE;
        byte[] key;
        if (userKey.length > MAX_REUSED) {
            key = new byte[length];
        } else {
            byte[][] holder = BUFFER.get();
            key = holder[0];
            if (key == null || key.length != length) {
                key = new byte[length];
                holder[0] = key;
            }
        }
        System.arraycopy(userKey, 0, key, 0, userKey.length);
        LittleEndian.putFixed64(key, userKey.length, InternalKey.packTrailer(snapshot, ValueType.FOR_SEEK));
        return key;
    }
}
