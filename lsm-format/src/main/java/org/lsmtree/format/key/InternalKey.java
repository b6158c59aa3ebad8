package org.lsmtree.format.key;

import com.google.common.base.Preconditions;
import java.util.Arrays;
import org.lsmtree.format.CorruptionException;
import org.lsmtree.format.LittleEndian;

/**
 * A user key with the sequence number and type of one mutation: how keys are stored in
 * memtables and tables.
 *
 * <pre>
 * +-----------------------+----------------------------------------------+
 * | user key (n bytes)    | trailer: fixed64 of (sequence << 8) | type    |
 * +-----------------------+----------------------------------------------+
 * </pre>
 *
 * The sequence takes 56 bits, so the largest is {@value #MAX_SEQUENCE}. Instances are immutable
 * values (the user key array is copied in and out is not; do not change it).
 */
public final class InternalKey {
    /** Bytes of the trailer that follows the user key. */
    public static final int TRAILER_SIZE = 8;
    /** The largest sequence number: 2^56 - 1. */
    public static final long MAX_SEQUENCE = (1L << 56) - 1;

    private final byte[] userKey;
    private final long sequence;
    private final ValueType type;

    /** A key; {@code sequence} must lie in {@code [0, MAX_SEQUENCE]}. */
    public InternalKey(byte[] userKey, long sequence, ValueType type) {
        checkSequence(sequence);
        this.userKey = userKey.clone();
        this.sequence = sequence;
        this.type = Preconditions.checkNotNull(type, "type");
    }

    /** The trailer's 64-bit value: {@code (sequence << 8) | type}. */
    public static long packTrailer(long sequence, ValueType type) {
        checkSequence(sequence);
        return (sequence << 8) | type.code();
    }

    /** The encoded form of a key without building an instance. */
    public static byte[] encode(byte[] userKey, long sequence, ValueType type) {
        byte[] encoded = Arrays.copyOf(userKey, userKey.length + TRAILER_SIZE);
        LittleEndian.putFixed64(encoded, userKey.length, packTrailer(sequence, type));
        return encoded;
    }

    /** Parses an encoded internal key; too short a key or an unknown type is a corruption. */
    public static InternalKey decode(byte[] encoded) throws CorruptionException {
        String problem = problemWith(encoded);
        if (problem != null) {
            throw CorruptionException.atOffset(encoded.length < TRAILER_SIZE ? 0 : encoded.length - TRAILER_SIZE,
                    problem);
        }
        long trailer = trailerOf(encoded);
        return new InternalKey(Arrays.copyOf(encoded, encoded.length - TRAILER_SIZE), trailer >>> 8,
                ValueType.fromCode((int) (trailer & 0xff)));
    }

    /**
     * Why {@code encoded}, read from disk, cannot be an internal key (shorter than its trailer, or
     * a value type no writer uses), or null when it is one. This is the check for keys that come
     * from files: readers call it where they parse keys, before {@link #trailerOf},
     * {@link #userKeyOf} or an {@link InternalKeyComparator} sees them. It allocates nothing.
     */
    public static String problemWith(byte[] encoded) {
        if (encoded.length < TRAILER_SIZE) {
            return "internal key of " + encoded.length + " bytes is shorter than its 8-byte trailer";
        }
        int type = encoded[encoded.length - TRAILER_SIZE] & 0xff;
        if (ValueType.fromCode(type) == null) {
            return "internal key has unknown value type " + type;
        }
        return null;
    }

    /**
     * The trailer of an encoded internal key. Requires a key of at least 8 bytes (an
     * {@link IllegalArgumentException} otherwise: keys from disk are checked with
     * {@link #problemWith} first).
     */
    public static long trailerOf(byte[] encoded) {
        checkLength(encoded);
        return LittleEndian.getFixed64(encoded, encoded.length - TRAILER_SIZE);
    }

    /** The user key of an encoded internal key, copied. Requires at least 8 bytes, as {@link #trailerOf}. */
    public static byte[] userKeyOf(byte[] encoded) {
        checkLength(encoded);
        return Arrays.copyOf(encoded, encoded.length - TRAILER_SIZE);
    }

    private static void checkLength(byte[] encoded) {
        if (encoded.length < TRAILER_SIZE) {
            throw new IllegalArgumentException("internal key of " + encoded.length
                    + " bytes is shorter than its 8-byte trailer");
        }
    }

    public byte[] userKey() {
        return userKey.clone();
    }

    public long sequence() {
        return sequence;
    }

    public ValueType type() {
        return type;
    }

    /** The on-disk bytes: user key then trailer. */
    public byte[] encode() {
        return encode(userKey, sequence, type);
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof InternalKey)) {
            return false;
        }
        InternalKey that = (InternalKey) other;
        return sequence == that.sequence && type == that.type && Arrays.equals(userKey, that.userKey);
    }

    @Override
    public int hashCode() {
        return (Arrays.hashCode(userKey) * 31 + Long.hashCode(sequence)) * 31 + type.hashCode();
    }

    @Override
    public String toString() {
        return KeyText.describe(userKey) + " @ " + sequence + " : " + type;
    }

    private static void checkSequence(long sequence) {
        Preconditions.checkArgument(sequence >= 0 && sequence <= MAX_SEQUENCE,
                "sequence %s outside [0, 2^56 - 1]", sequence);
    }
}
