package org.lsmtree.format.iterator;

import java.util.Arrays;
import java.util.Comparator;
import org.lsmtree.format.LittleEndian;
import org.lsmtree.format.key.BytewiseComparator;
import org.lsmtree.format.key.InternalKey;
import org.lsmtree.format.key.InternalKeyComparator;
import org.lsmtree.format.key.UserComparator;

/**
 * An order over byte ranges: what a {@link Comparator} of arrays is, for keys that sit inside a
 * larger array ({@link Slice}). {@link #of} makes one from a comparator of arrays: the store's
 * orders (bytewise user keys, internal keys over them) compare in place, others get copies of the
 * ranges that are not whole arrays. Implementations are stateless and thread-safe.
 */
@FunctionalInterface
public interface SliceComparator {

    /** Compares {@code a[aOffset, aOffset + aLength)} with {@code b[bOffset, bOffset + bLength)}. */
    int compare(byte[] a, int aOffset, int aLength, byte[] b, int bOffset, int bLength);

    default int compare(Slice a, Slice b) {
        return compare(a.array(), a.offset(), a.length(), b.array(), b.offset(), b.length());
    }

    default int compare(Slice a, byte[] b) {
        return compare(a.array(), a.offset(), a.length(), b, 0, b.length);
    }

    /** The same order as {@code comparator}, comparing in place where the order is one of the store's. */
    static SliceComparator of(Comparator<byte[]> comparator) {
        if (comparator instanceof InternalKeyComparator internal) {
            return forInternalKeys(internal);
        }
        if (comparator instanceof UserComparator user) {
            return forUserKeys(user);
        }
        return (a, aOffset, aLength, b, bOffset, bLength) ->
                comparator.compare(whole(a, aOffset, aLength), whole(b, bOffset, bLength));
    }

    /** User keys in {@code order}: in place for the bytewise order, through copies for others. */
    static SliceComparator forUserKeys(UserComparator order) {
        if (order instanceof BytewiseComparator) {
            return (a, aOffset, aLength, b, bOffset, bLength) ->
                    Arrays.compareUnsigned(a, aOffset, aOffset + aLength, b, bOffset, bOffset + bLength);
        }
        return (a, aOffset, aLength, b, bOffset, bLength) ->
                order.compare(whole(a, aOffset, aLength), whole(b, bOffset, bLength));
    }

    /**
     * Encoded internal keys as {@code order} ranks them (user key, then newer first), their user
     * keys compared as {@link #forUserKeys} does. A range shorter than the 8-byte trailer is an
     * {@link IllegalArgumentException}, as for {@link InternalKeyComparator}.
     */
    static SliceComparator forInternalKeys(InternalKeyComparator order) {
        SliceComparator userKeys = forUserKeys(order.userComparator());
        return (a, aOffset, aLength, b, bOffset, bLength) -> {
            if (aLength < InternalKey.TRAILER_SIZE || bLength < InternalKey.TRAILER_SIZE) {
                throw new IllegalArgumentException("internal key of " + Math.min(aLength, bLength)
                        + " bytes is shorter than its 8-byte trailer");
            }
            int aUser = aLength - InternalKey.TRAILER_SIZE;
            int bUser = bLength - InternalKey.TRAILER_SIZE;
            int byUser = userKeys.compare(a, aOffset, aUser, b, bOffset, bUser);
            if (byUser != 0) {
                return byUser;
            }
            // The larger trailer (newer sequence, then larger type) sorts first.
            return Long.compareUnsigned(LittleEndian.getFixed64(b, bOffset + bUser),
                    LittleEndian.getFixed64(a, aOffset + aUser));
        };
    }

    /** {@code array} itself when the range is all of it, else a copy of the range. */
    private static byte[] whole(byte[] array, int offset, int length) {
        return offset == 0 && length == array.length ? array : Arrays.copyOfRange(array, offset, offset + length);
    }
}
