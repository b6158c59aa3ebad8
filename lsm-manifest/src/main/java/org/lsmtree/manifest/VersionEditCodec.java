package org.lsmtree.manifest;

import static org.lsmtree.manifest.ManifestFormat.TAG_COMPACT_POINTER;
import static org.lsmtree.manifest.ManifestFormat.TAG_COMPARATOR;
import static org.lsmtree.manifest.ManifestFormat.TAG_DELETED_FILE;
import static org.lsmtree.manifest.ManifestFormat.TAG_LAST_SEQUENCE;
import static org.lsmtree.manifest.ManifestFormat.TAG_LOG_NUMBER;
import static org.lsmtree.manifest.ManifestFormat.TAG_NEW_FILE;
import static org.lsmtree.manifest.ManifestFormat.TAG_NEXT_FILE_NUMBER;
import static org.lsmtree.manifest.ManifestFormat.TAG_PREVIOUS_LOG_NUMBER;
import static org.lsmtree.manifest.ManifestFormat.TAG_RETIRED_LARGE_VALUE_REF;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.lsmtree.format.Codec;
import org.lsmtree.format.CorruptionException;
import org.lsmtree.format.Varint;
import org.lsmtree.format.key.InternalKey;
import org.lsmtree.format.key.ValueType;

/**
 * Version edits to and from LevelDB's bytes ({@code docs/format/manifest.md}). Encoding writes
 * the fields present in LevelDB's order (comparator, log number, previous log number, next file
 * number, last sequence, compact pointers, deleted files, new files), so an edit encodes to the
 * bytes LevelDB writes for it. Decoding accepts fields in any order and repeated, as LevelDB
 * does (a repeated scalar: the last one wins).
 *
 * <p>Every damage is a {@link CorruptionException} at the offset (relative to the buffer's
 * reader index at the start) of the field it spoils, with the tag named: an unknown or retired
 * tag, a truncated or overlong varint, a slice longer than the bytes left, a level outside 0..6,
 * a number beyond 2^63 - 1, a sequence beyond 2^56 - 1, a key too short for an internal key or of
 * unknown type, a comparator name that is not UTF-8. Stateless and thread-safe.
 */
public final class VersionEditCodec implements Codec<VersionEdit> {
    public static final VersionEditCodec INSTANCE = new VersionEditCodec();

    @Override
    public void encode(VersionEdit edit, ByteBuf out) {
        edit.comparatorName().ifPresent(name -> {
            Varint.writeVarint32(out, TAG_COMPARATOR);
            Varint.writeLengthPrefixed(out, name.getBytes(StandardCharsets.UTF_8));
        });
        edit.logNumber().ifPresent(n -> writeNumber(out, TAG_LOG_NUMBER, n));
        edit.previousLogNumber().ifPresent(n -> writeNumber(out, TAG_PREVIOUS_LOG_NUMBER, n));
        edit.nextFileNumber().ifPresent(n -> writeNumber(out, TAG_NEXT_FILE_NUMBER, n));
        edit.lastSequence().ifPresent(n -> writeNumber(out, TAG_LAST_SEQUENCE, n));
        for (VersionEdit.CompactPointer pointer : edit.compactPointers()) {
            Varint.writeVarint32(out, TAG_COMPACT_POINTER);
            Varint.writeVarint32(out, pointer.level());
            Varint.writeLengthPrefixed(out, pointer.key());
        }
        for (VersionEdit.DeletedFile deleted : edit.deletedFiles()) {
            Varint.writeVarint32(out, TAG_DELETED_FILE);
            Varint.writeVarint32(out, deleted.level());
            Varint.writeVarint64(out, deleted.number());
        }
        for (VersionEdit.NewFile added : edit.newFiles()) {
            FileMetadata file = added.file();
            Varint.writeVarint32(out, TAG_NEW_FILE);
            Varint.writeVarint32(out, added.level());
            Varint.writeVarint64(out, file.number());
            Varint.writeVarint64(out, file.size());
            Varint.writeLengthPrefixed(out, file.smallestKey());
            Varint.writeLengthPrefixed(out, file.largestKey());
        }
    }

    @Override
    public VersionEdit decode(ByteBuf in) throws CorruptionException {
        int base = in.readerIndex();
        VersionEdit edit = new VersionEdit();
        while (in.isReadable()) {
            int fieldStart = in.readerIndex();
            int tag;
            try {
                tag = Varint.readVarint32(in);
            } catch (CorruptionException e) {
                throw new CorruptionException(null, fieldStart - base, "tag: " + e.reason(), e);
            }
            try {
                decodeField(tag, fieldStart, in, edit);
            } catch (CorruptionException e) {
                long offset = e.offset() == CorruptionException.UNKNOWN_OFFSET ? fieldStart : e.offset();
                String reason = e.reason().startsWith("tag ") ? e.reason() : "tag " + tag + ": " + e.reason();
                throw new CorruptionException(null, offset - base, reason, e);
            }
        }
        return edit;
    }

    private static void decodeField(int tag, int fieldStart, ByteBuf in, VersionEdit edit)
            throws CorruptionException {
        switch (tag) {
            case TAG_COMPARATOR -> edit.setComparatorName(utf8(Varint.readLengthPrefixed(in), tag));
            case TAG_LOG_NUMBER -> edit.setLogNumber(number(in, tag));
            case TAG_PREVIOUS_LOG_NUMBER -> edit.setPreviousLogNumber(number(in, tag));
            case TAG_NEXT_FILE_NUMBER -> edit.setNextFileNumber(number(in, tag));
            case TAG_LAST_SEQUENCE -> {
                int start = in.readerIndex();
                long sequence = Varint.readVarint64(in);
                if (sequence < 0 || sequence > InternalKey.MAX_SEQUENCE) {
                    throw fieldError(start, tag, "last sequence " + Long.toUnsignedString(sequence)
                            + " exceeds 2^56 - 1");
                }
                edit.setLastSequence(sequence);
            }
            case TAG_COMPACT_POINTER -> edit.addCompactPointer(level(in, tag), internalKey(in, tag));
            case TAG_DELETED_FILE -> edit.deleteFile(level(in, tag), number(in, tag));
            case TAG_NEW_FILE -> {
                int level = level(in, tag);
                long number = number(in, tag);
                long size = number(in, tag);
                byte[] smallest = internalKey(in, tag);
                byte[] largest = internalKey(in, tag);
                edit.addFile(level, new FileMetadata(number, size, smallest, largest));
            }
            case TAG_RETIRED_LARGE_VALUE_REF -> throw CorruptionException.atOffset(fieldStart,
                    "tag 8 (large value reference) is retired and never valid in a version edit");
            default -> throw CorruptionException.atOffset(fieldStart,
                    "unknown tag " + Integer.toUnsignedString(tag) + " in version edit");
        }
    }

    private static void writeNumber(ByteBuf out, int tag, long value) {
        Varint.writeVarint32(out, tag);
        Varint.writeVarint64(out, value);
    }

    private static long number(ByteBuf in, int tag) throws CorruptionException {
        int start = in.readerIndex();
        long value = Varint.readVarint64(in);
        if (value < 0) {
            throw fieldError(start, tag, "number " + Long.toUnsignedString(value) + " exceeds 2^63 - 1");
        }
        return value;
    }

    private static int level(ByteBuf in, int tag) throws CorruptionException {
        int start = in.readerIndex();
        int level = Varint.readVarint32(in);
        if (!ManifestFormat.isLevel(level)) {
            throw fieldError(start, tag, "level " + Integer.toUnsignedString(level) + " is not in 0.."
                    + (ManifestFormat.NUM_LEVELS - 1));
        }
        return level;
    }

    private static byte[] internalKey(ByteBuf in, int tag) throws CorruptionException {
        int start = in.readerIndex();
        byte[] key = Varint.readLengthPrefixed(in);
        if (key.length < InternalKey.TRAILER_SIZE) {
            throw fieldError(start, tag, "key of " + key.length + " bytes is shorter than an internal key's trailer");
        }
        long type = InternalKey.trailerOf(key) & 0xff;
        if (ValueType.fromCode((int) type) == null) {
            throw fieldError(start, tag, "internal key has unknown value type " + type);
        }
        return key;
    }

    private static String utf8(byte[] bytes, int tag) throws CorruptionException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new CorruptionException(null, CorruptionException.UNKNOWN_OFFSET,
                    "tag " + tag + ": comparator name is not UTF-8", e);
        }
    }

    private static CorruptionException fieldError(int offset, int tag, String reason) {
        return CorruptionException.atOffset(offset, "tag " + tag + ": " + reason);
    }
}
