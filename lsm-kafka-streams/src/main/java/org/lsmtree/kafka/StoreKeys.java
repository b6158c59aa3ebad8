package org.lsmtree.kafka;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.errors.ProcessorStateException;

/**
 * How one Kafka Streams store lays its keys out in one engine store: two key spaces told apart by
 * the first byte, so that the store's own bookkeeping can be written in the same atomic batch as
 * the data it describes.
 *
 * <pre>
 *   0x00 'offset' topic-partition  -> changelog offset (8 bytes, big-endian), see {@link #offsetKey}
 *   0x00 'position'                -> the interactive-query position ({@link PositionCodec})
 *   0x00 'status'                  -> 'open' (or 'open-buffered' under exactly-once, see
 *                                     {@link LsmKeyValueStore}) while a writer has the store,
 *                                     'closed' after a clean close
 *   0x01 user key                  -> user value (both as Kafka Streams gave them; empty allowed)
 * </pre>
 *
 * <p>Every user key sorts after every metadata key and the bytewise order of user keys is kept, so
 * a range of user keys is a range of engine keys. Stateless; thread-safe.
 */
final class StoreKeys {
    static final byte META = 0x00;
    static final byte DATA = 0x01;

    /** The first engine key of the data space (the empty user key). */
    static final byte[] DATA_START = {DATA};
    /** The first engine key after the data space. */
    static final byte[] DATA_END = {DATA + 1};

    static final byte[] STATUS = meta("status");
    static final byte[] POSITION = meta("position");
    static final byte[] OFFSET_PREFIX = meta("offset:");
    static final byte[] STATUS_OPEN = "open".getBytes(StandardCharsets.US_ASCII);
    static final byte[] STATUS_OPEN_BUFFERED = "open-buffered".getBytes(StandardCharsets.US_ASCII);
    static final byte[] STATUS_CLOSED = "closed".getBytes(StandardCharsets.US_ASCII);

    private StoreKeys() {}

    /** The engine key of user key {@code key}. */
    static byte[] data(byte[] key) {
        byte[] out = new byte[key.length + 1];
        out[0] = DATA;
        System.arraycopy(key, 0, out, 1, key.length);
        return out;
    }

    /** The user key of engine key {@code engineKey}, which must be in the data space. */
    static byte[] userKey(byte[] engineKey) {
        assert engineKey.length >= 1 && engineKey[0] == DATA : "not a data key";
        return Arrays.copyOfRange(engineKey, 1, engineKey.length);
    }

    /** Whether {@code engineKey} is in the data space. */
    static boolean isData(byte[] engineKey) {
        return engineKey.length >= 1 && engineKey[0] == DATA;
    }

    /** The engine key holding the committed changelog offset of {@code partition}. */
    static byte[] offsetKey(TopicPartition partition) {
        byte[] name = (partition.topic() + "-" + partition.partition()).getBytes(StandardCharsets.UTF_8);
        byte[] out = Arrays.copyOf(OFFSET_PREFIX, OFFSET_PREFIX.length + name.length);
        System.arraycopy(name, 0, out, OFFSET_PREFIX.length, name.length);
        return out;
    }

    static byte[] encodeLong(long value) {
        byte[] out = new byte[8];
        for (int i = 7; i >= 0; i--) {
            out[i] = (byte) value;
            value >>>= 8;
        }
        return out;
    }

    /** The long {@link #encodeLong} wrote; {@code what} names the key for the error. */
    static long decodeLong(byte[] bytes, String what) {
        if (bytes.length != 8) {
            throw new ProcessorStateException(what + " holds " + bytes.length + " bytes, not the 8 of a long");
        }
        long value = 0;
        for (byte b : bytes) {
            value = value << 8 | (b & 0xff);
        }
        return value;
    }

    private static byte[] meta(String name) {
        byte[] ascii = name.getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[ascii.length + 1];
        out[0] = META;
        System.arraycopy(ascii, 0, out, 1, ascii.length);
        return out;
    }
}
