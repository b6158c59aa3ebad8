package org.lsmtree.format;

import java.io.IOException;

/**
 * Bytes read from a file are not what the format allows: a bad checksum, an impossible length,
 * an unknown tag. Carries the file (when known), the byte offset in it (when known) and the reason.
 *
 * <p>A plain {@link IOException} means the environment failed (disk, permissions); this subclass
 * means the data itself is damaged, and retrying will not help.
 *
 * <p>Decoders that work on a buffer without knowing its file throw with an offset relative to the
 * buffer and no file; the caller that knows both relocates the exception with
 * {@link #locatedAt(String, long)}.
 */
public final class CorruptionException extends IOException {
    private static final long serialVersionUID = 1L;

    /** Offset value meaning "not known". */
    public static final long UNKNOWN_OFFSET = -1;

    private final String file;
    private final long offset;
    private final String reason;

    /** A corruption in {@code file} (null when unknown) at {@code offset} (-1 when unknown). */
    public CorruptionException(String file, long offset, String reason) {
        this(file, offset, reason, null);
    }

    public CorruptionException(String file, long offset, String reason, Throwable cause) {
        super(describe(file, offset, reason), cause);
        this.file = file;
        this.offset = offset;
        this.reason = reason;
    }

    /** A corruption at {@code offset} of a buffer whose file is not known here. */
    public static CorruptionException atOffset(long offset, String reason) {
        return new CorruptionException(null, offset, reason);
    }

    /** The damaged file as the reader named it, or null when not known. */
    public String file() {
        return file;
    }

    /** The byte offset of the damage in the file, or {@link #UNKNOWN_OFFSET}. */
    public long offset() {
        return offset;
    }

    /** What is wrong, without the location. */
    public String reason() {
        return reason;
    }

    /**
     * The same corruption placed in {@code file}, with this exception's offset taken as relative
     * to {@code baseOffset} (an unknown offset becomes {@code baseOffset}).
     */
    public CorruptionException locatedAt(String file, long baseOffset) {
        long absolute = offset == UNKNOWN_OFFSET ? baseOffset : baseOffset + offset;
        return new CorruptionException(file, absolute, reason, this);
    }

    private static String describe(String file, long offset, String reason) {
        StringBuilder message = new StringBuilder("corruption");
        if (file != null) {
            message.append(" in ").append(file);
        }
        if (offset != UNKNOWN_OFFSET) {
            message.append(" at offset ").append(offset);
        }
        return message.append(": ").append(reason).toString();
    }
}
