package org.lsmtree.manifest;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Arrays;
import org.lsmtree.format.key.InternalKey;

/**
 * A table file as the MANIFEST records it: its number ({@code NNNNNN.ldb}), its size in bytes,
 * and the smallest and largest encoded internal keys it holds. The level it is placed at is
 * recorded beside it ({@link VersionEdit.NewFile}, {@link LevelState#files(int)}).
 *
 * <p>Invariants: number and size are not negative; both keys are at least the 8-byte internal
 * key trailer long. Immutable: keys are copied in and out.
 */
public final class FileMetadata {
    private final long number;
    private final long size;
    private final byte[] smallest;
    private final byte[] largest;

    /**
     * A table file. {@code smallest} and {@code largest} are encoded internal keys (see
     * {@link InternalKey#encode()}); a caller passing anything shorter than a trailer is wrong.
     */
    public FileMetadata(long number, long size, byte[] smallest, byte[] largest) {
        checkArgument(number >= 0, "file number %s is negative", number);
        checkArgument(size >= 0, "file size %s is negative", size);
        checkArgument(smallest.length >= InternalKey.TRAILER_SIZE,
                "smallest key of %s bytes is not an internal key", smallest.length);
        checkArgument(largest.length >= InternalKey.TRAILER_SIZE,
                "largest key of %s bytes is not an internal key", largest.length);
        this.number = number;
        this.size = size;
        this.smallest = smallest.clone();
        this.largest = largest.clone();
    }

    public long number() {
        return number;
    }

    public long size() {
        return size;
    }

    /** The smallest encoded internal key, copied. */
    public byte[] smallest() {
        return smallest.clone();
    }

    /** The largest encoded internal key, copied. */
    public byte[] largest() {
        return largest.clone();
    }

    /** The smallest key without a copy, for comparisons in this package; never modify it. */
    byte[] smallestKey() {
        return smallest;
    }

    /** The largest key without a copy, for comparisons in this package; never modify it. */
    byte[] largestKey() {
        return largest;
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof FileMetadata)) {
            return false;
        }
        FileMetadata that = (FileMetadata) other;
        return number == that.number && size == that.size
                && Arrays.equals(smallest, that.smallest) && Arrays.equals(largest, that.largest);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(number) * 31 + Long.hashCode(size);
    }

    @Override
    public String toString() {
        return number + ":" + size + "[" + KeyRender.internal(smallest) + " .. "
                + KeyRender.internal(largest) + "]";
    }
}
