package org.lsmtree.format.key;

import com.google.common.base.Preconditions;
import java.util.Arrays;
import java.util.Comparator;
import org.lsmtree.format.LittleEndian;

/**
 * Orders encoded internal keys: by user key under a {@link UserComparator}, then by descending
 * sequence, then by descending type, so the newest entry for a user key comes first. Keys must be
 * at least 8 bytes long (check with {@link InternalKey#decode} what comes from disk).
 * Stateless and thread-safe.
 */
public final class InternalKeyComparator implements Comparator<byte[]> {
    private final UserComparator userComparator;

    public InternalKeyComparator(UserComparator userComparator) {
        this.userComparator = Preconditions.checkNotNull(userComparator);
    }

    /** The user-key order underneath; its name is the one recorded on disk. */
    public UserComparator userComparator() {
        return userComparator;
    }

    @Override
    public int compare(byte[] a, byte[] b) {
        int byUser = compareUserKeys(a, b);
        if (byUser != 0) {
            return byUser;
        }
        // Larger trailer (newer sequence, then larger type) sorts first.
        return Long.compareUnsigned(InternalKey.trailerOf(b), InternalKey.trailerOf(a));
    }

    /**
     * A short internal key {@code k} with {@code start <= k < limit}, for index blocks: the user
     * key shortened by the user comparator, with the largest trailer so it sorts before every real
     * entry of that user key.
     */
    public byte[] findShortestSeparator(byte[] start, byte[] limit) {
        byte[] userStart = InternalKey.userKeyOf(start);
        byte[] userLimit = InternalKey.userKeyOf(limit);
        byte[] shortened = userComparator.findShortestSeparator(userStart, userLimit);
        if (shortened.length < userStart.length && userComparator.compare(userStart, shortened) < 0) {
            byte[] separator = withMaxTrailer(shortened);
            assert compare(start, separator) < 0 && compare(separator, limit) < 0;
            return separator;
        }
        return start;
    }

    /** A short internal key {@code k >= key}, for the last index entry of a table. */
    public byte[] findShortSuccessor(byte[] key) {
        byte[] userKey = InternalKey.userKeyOf(key);
        byte[] shortened = userComparator.findShortSuccessor(userKey);
        if (shortened.length < userKey.length && userComparator.compare(userKey, shortened) < 0) {
            byte[] successor = withMaxTrailer(shortened);
            assert compare(key, successor) < 0;
            return successor;
        }
        return key;
    }

    private int compareUserKeys(byte[] a, byte[] b) {
        if (userComparator instanceof BytewiseComparator) {
            return Arrays.compareUnsigned(a, 0, a.length - InternalKey.TRAILER_SIZE,
                    b, 0, b.length - InternalKey.TRAILER_SIZE);
        }
        return userComparator.compare(InternalKey.userKeyOf(a), InternalKey.userKeyOf(b));
    }

    private static byte[] withMaxTrailer(byte[] userKey) {
        byte[] key = Arrays.copyOf(userKey, userKey.length + InternalKey.TRAILER_SIZE);
        LittleEndian.putFixed64(key, userKey.length,
                InternalKey.packTrailer(InternalKey.MAX_SEQUENCE, ValueType.FOR_SEEK));
        return key;
    }

    @Override
    public String toString() {
        return "InternalKeyComparator(" + userComparator.name() + ")";
    }
}
