package org.lsmtree.sstable;

import java.util.Arrays;
import java.util.Comparator;
import org.lsmtree.format.LittleEndian;
import org.lsmtree.format.key.BytewiseComparator;
import org.lsmtree.format.key.InternalKey;
import org.lsmtree.format.key.InternalKeyComparator;

/**
 * A table's key order applied to keys where they lie, as ranges of arrays (a key inside a block's
 * contents, a key being decoded into a reused buffer), so that a seek compares without copying.
 * LevelDB's bytewise order, plain or under internal keys, compares in place; any other order is
 * given copies of the ranges, which costs an allocation per comparison but orders the same.
 *
 * <p>A range that cannot be an internal key (shorter than its 8-byte trailer) is handed to the
 * comparator as a copy, so that damaged keys fail as they fail there; keys from files reach a
 * comparison only after {@link IndexCheck} or {@link DataBlockCheck} passed them.
 *
 * <p>Immutable and thread-safe.
 */
final class KeyOrder {
    private enum Kind { BYTEWISE, INTERNAL_BYTEWISE, OTHER }

    private final Comparator<byte[]> comparator;
    private final Kind kind;

    private KeyOrder(Comparator<byte[]> comparator, Kind kind) {
        this.comparator = comparator;
        this.kind = kind;
    }

    /** The order of {@code comparator}, in place where it is bytewise. */
    static KeyOrder of(Comparator<byte[]> comparator) {
        if (comparator == BytewiseComparator.INSTANCE) {
            return new KeyOrder(comparator, Kind.BYTEWISE);
        }
        if (comparator instanceof InternalKeyComparator internal
                && internal.userComparator() == BytewiseComparator.INSTANCE) {
            return new KeyOrder(comparator, Kind.INTERNAL_BYTEWISE);
        }
        return new KeyOrder(comparator, Kind.OTHER);
    }

    Comparator<byte[]> comparator() {
        return comparator;
    }

    /** Compares {@code a[aFrom, aFrom+aLength)} with {@code b[bFrom, bFrom+bLength)}. */
    int compare(byte[] a, int aFrom, int aLength, byte[] b, int bFrom, int bLength) {
        if (kind == Kind.BYTEWISE) {
            return Arrays.compareUnsigned(a, aFrom, aFrom + aLength, b, bFrom, bFrom + bLength);
        }
        int trailer = InternalKey.TRAILER_SIZE;
        if (kind == Kind.INTERNAL_BYTEWISE && aLength >= trailer && bLength >= trailer) {
            int byUser = Arrays.compareUnsigned(a, aFrom, aFrom + aLength - trailer, b, bFrom, bFrom + bLength - trailer);
            if (byUser != 0) {
                return byUser;
            }
            // The larger trailer (newer sequence, then larger type) sorts first.
            return Long.compareUnsigned(LittleEndian.getFixed64(b, bFrom + bLength - trailer),
                    LittleEndian.getFixed64(a, aFrom + aLength - trailer));
        }
        return comparator.compare(Arrays.copyOfRange(a, aFrom, aFrom + aLength),
                Arrays.copyOfRange(b, bFrom, bFrom + bLength));
    }

    /** Compares {@code stored[from, from+length)} with the whole of {@code key}. */
    int compare(byte[] stored, int from, int length, byte[] key) {
        return compare(stored, from, length, key, 0, key.length);
    }

    /**
     * For internal keys: whether the internal key {@code stored[from, from+length)} has the user
     * key of the internal key {@code key}. Both must be at least 8 bytes long.
     */
    boolean sameUserKey(byte[] stored, int from, int length, byte[] key) {
        int trailer = InternalKey.TRAILER_SIZE;
        if (kind == Kind.INTERNAL_BYTEWISE) {
            return Arrays.equals(stored, from, from + length - trailer, key, 0, key.length - trailer);
        }
        InternalKeyComparator internal = (InternalKeyComparator) comparator;
        return internal.userComparator().compare(Arrays.copyOfRange(stored, from, from + length - trailer),
                Arrays.copyOf(key, key.length - trailer)) == 0;
    }

    @Override
    public String toString() {
        return "KeyOrder(" + comparator + ", " + kind + ")";
    }
}
