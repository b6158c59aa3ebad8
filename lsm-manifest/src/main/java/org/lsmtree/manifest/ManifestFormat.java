package org.lsmtree.manifest;

/**
 * Every on-disk constant of the MANIFEST, specified in {@code docs/format/manifest.md}. A
 * MANIFEST is a log in the shared record framing ({@code docs/format/log.md}) whose records are
 * version edits; an edit is a sequence of tagged fields:
 *
 * <pre>
 * edit    := field*
 * field   := tag:varint32 body
 * tag 1   comparator name     body := length-prefixed bytes
 * tag 2   log number          body := varint64
 * tag 3   next file number    body := varint64
 * tag 4   last sequence       body := varint64
 * tag 5   compact pointer     body := level:varint32 key:length-prefixed internal key
 * tag 6   deleted file        body := level:varint32 number:varint64
 * tag 7   new file            body := level:varint32 number:varint64 size:varint64
 *                                     smallest:length-prefixed internal key
 *                                     largest:length-prefixed internal key
 * tag 8   retired (LevelDB once used it for large value references); never written, rejected on read
 * tag 9   previous log number body := varint64
 * </pre>
 *
 * Tag codes are on disk: a retired code is never given a new meaning.
 */
public final class ManifestFormat {
    public static final int TAG_COMPARATOR = 1;
    public static final int TAG_LOG_NUMBER = 2;
    public static final int TAG_NEXT_FILE_NUMBER = 3;
    public static final int TAG_LAST_SEQUENCE = 4;
    public static final int TAG_COMPACT_POINTER = 5;
    public static final int TAG_DELETED_FILE = 6;
    public static final int TAG_NEW_FILE = 7;
    /** Retired: LevelDB's large value references. Never reused. */
    public static final int TAG_RETIRED_LARGE_VALUE_REF = 8;
    public static final int TAG_PREVIOUS_LOG_NUMBER = 9;

    /** Levels 0 to 6, as in LevelDB ({@code config::kNumLevels}). */
    public static final int NUM_LEVELS = 7;

    /** The longest {@code CURRENT} we read: a MANIFEST name and a newline need far less. */
    static final int MAX_CURRENT_SIZE = 4096;

    private ManifestFormat() {}

    /** Whether {@code level} is one of the {@link #NUM_LEVELS} levels. */
    public static boolean isLevel(int level) {
        return level >= 0 && level < NUM_LEVELS;
    }
}
