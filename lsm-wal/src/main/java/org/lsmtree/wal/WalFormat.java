package org.lsmtree.wal;

import org.lsmtree.format.key.ValueType;

/**
 * Every on-disk constant of a write batch as the WAL stores it, one batch per log record. The
 * layout is specified in {@code docs/format/wal.md}; the record framing around it in
 * {@code docs/format/log.md}.
 *
 * <pre>
 * batch := sequence:fixed64 count:fixed32 entry{count}
 * entry := 0x01 key:varint32-prefixed value:varint32-prefixed     (put)
 *        | 0x00 key:varint32-prefixed                             (delete)
 * </pre>
 *
 * The entries take sequences {@code sequence, sequence + 1, ..., sequence + count - 1}, in order.
 */
public final class WalFormat {
    /** Bytes before the first entry: sequence (8) and count (4). */
    public static final int HEADER_SIZE = 12;
    /** Tag of a put entry: {@link ValueType#PUT}'s code. */
    public static final int TAG_PUT = ValueType.PUT.code();
    /** Tag of a delete entry: {@link ValueType#DELETE}'s code. */
    public static final int TAG_DELETE = ValueType.DELETE.code();

    private WalFormat() {}
}
