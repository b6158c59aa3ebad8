package org.lsmtree.format.key;

/**
 * What an internal key records about its user key. The codes are on disk (the low byte of every
 * internal key's trailer and the tags of a write batch): a code is never reused for another
 * meaning.
 */
public enum ValueType {
    /** A tombstone: the user key was deleted at this sequence. Code 0. */
    DELETE(0),
    /** A value was put at this sequence (an empty value is a legal value). Code 1. */
    PUT(1);

    /**
     * The type used when building a key to seek to: internal keys order by descending type within
     * one sequence, so the highest code sorts first (LevelDB's {@code kValueTypeForSeek}).
     */
    public static final ValueType FOR_SEEK = PUT;

    private final int code;

    ValueType(int code) {
        this.code = code;
    }

    /** The on-disk code. */
    public int code() {
        return code;
    }

    /** The type for an on-disk code, or null when the code is unknown. */
    public static ValueType fromCode(int code) {
        switch (code) {
            case 0:
                return DELETE;
            case 1:
                return PUT;
            default:
                return null;
        }
    }
}
