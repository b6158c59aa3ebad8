package org.lsmtree.format.log;

/**
 * The type byte of a fragment: where the fragment sits in its record. Code 0 is reserved for
 * preallocated (zeroed) space and never written; codes above 4 are unknown.
 */
public enum RecordType {
    /** The whole record in one fragment. */
    FULL(1),
    /** The first fragment of a record that continues in the next block. */
    FIRST(2),
    /** An inner fragment: a whole block of a record that began earlier and continues. */
    MIDDLE(3),
    /** The last fragment of a record that began in an earlier block. */
    LAST(4);

    /** The reserved code of zeroed space. */
    public static final int ZERO_CODE = 0;

    private final int code;

    RecordType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The type of an on-disk code, or null when the code is reserved or unknown. */
    public static RecordType fromCode(int code) {
        switch (code) {
            case 1:
                return FULL;
            case 2:
                return FIRST;
            case 3:
                return MIDDLE;
            case 4:
                return LAST;
            default:
                return null;
        }
    }
}
