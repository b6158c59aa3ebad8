package org.lsmtree.cli;

import org.lsmtree.format.key.InternalKey;
import org.lsmtree.format.key.ValueType;

/**
 * Internal keys (user key + 8-byte trailer {@code seq << 8 | type}) as the dumps print them:
 * {@code key @ seq : PUT}, the user key rendered by {@link ByteText}; a key too short to hold a
 * trailer prints as {@code (bad) 0x...}. Stateless.
 */
final class InternalKeyText {
    private InternalKeyText() {}

    static String render(byte[] encoded, boolean hex) {
        if (encoded.length < InternalKey.TRAILER_SIZE) {
            return "(bad) " + ByteText.hex(encoded, 0, encoded.length);
        }
        long trailer = InternalKey.trailerOf(encoded);
        return userKey(encoded, hex) + " @ " + sequence(trailer) + " : " + typeName(trailer);
    }

    static String userKey(byte[] encoded, boolean hex) {
        return ByteText.render(encoded, 0, encoded.length - InternalKey.TRAILER_SIZE, hex);
    }

    static long sequence(long trailer) {
        return trailer >>> 8;
    }

    static String typeName(long trailer) {
        int code = (int) (trailer & 0xff);
        ValueType type = code <= 1 ? ValueType.fromCode(code) : null;
        if (type == ValueType.PUT) {
            return "PUT";
        }
        return type == ValueType.DELETE ? "DEL" : "type" + code;
    }

    /** The key as a JSON object: user key, sequence and type. */
    static Json.Obj json(byte[] encoded, boolean hex) {
        if (encoded.length < InternalKey.TRAILER_SIZE) {
            return Json.obj().put("bad", ByteText.hex(encoded, 0, encoded.length));
        }
        long trailer = InternalKey.trailerOf(encoded);
        return Json.obj().put("key", userKey(encoded, hex)).put("seq", sequence(trailer)).put("type", typeName(trailer));
    }
}
