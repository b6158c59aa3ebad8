package org.lsmtree.kafka;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.query.Position;
import org.lsmtree.engine.Db;
import org.lsmtree.engine.DbIterator;
import org.lsmtree.engine.ReadOptions;
import org.lsmtree.engine.WriteOptions;
import org.lsmtree.wal.WriteBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bookkeeping a store keeps beside its data in the metadata space of {@link StoreKeys}: the
 * status that tells a clean close from a crash, the committed changelog offsets, the query
 * position. How each is read at open, written at commit and at close. Stateless; thread-safe.
 */
final class StoreBookkeeping {
    private static final Logger LOG = LoggerFactory.getLogger(StoreBookkeeping.class);

    private StoreBookkeeping() {}

    /**
     * Marks {@code db} open ({@code buffered}: its writes are held until commit) in a synced
     * write and returns its saved position. When {@code exactlyOnce} and the store was left open
     * by unbuffered writes (a crash), it may hold writes of an aborted transaction: its offsets
     * and position are dropped in the same write, so Kafka Streams wipes and restores it.
     */
    static Position open(Db db, String store, boolean exactlyOnce, boolean buffered) throws IOException {
        byte[] status = db.get(StoreKeys.STATUS);
        boolean uncleanUnbuffered = status != null && Arrays.equals(status, StoreKeys.STATUS_OPEN);
        WriteBatch batch = new WriteBatch().put(StoreKeys.STATUS,
                buffered ? StoreKeys.STATUS_OPEN_BUFFERED : StoreKeys.STATUS_OPEN);
        Position position;
        if (uncleanUnbuffered && exactlyOnce) {
            LOG.warn("store {} was not closed cleanly under exactly-once: dropping its committed offsets, so that "
                    + "Kafka Streams restores it from the changelog", store);
            for (byte[] key : offsetKeys(db)) {
                batch.delete(key);
            }
            batch.delete(StoreKeys.POSITION);
            position = Position.emptyPosition();
        } else {
            byte[] stored = db.get(StoreKeys.POSITION);
            position = stored == null ? Position.emptyPosition() : PositionCodec.decode(stored, store);
        }
        db.write(batch, WriteOptions.sync());
        return position;
    }

    /**
     * Adds to {@code batch} the offsets (an empty map clears every stored offset; a null offset
     * clears that partition's) and the position.
     */
    static void addCommit(WriteBatch batch, Db db, Map<TopicPartition, Long> changelogOffsets, Position position)
            throws IOException {
        if (changelogOffsets.isEmpty()) {
            for (byte[] key : offsetKeys(db)) {
                batch.delete(key);
            }
        }
        for (Map.Entry<TopicPartition, Long> entry : changelogOffsets.entrySet()) {
            byte[] key = StoreKeys.offsetKey(entry.getKey());
            if (entry.getValue() == null) {
                batch.delete(key);
            } else {
                batch.put(key, StoreKeys.encodeLong(entry.getValue()));
            }
        }
        batch.put(StoreKeys.POSITION, PositionCodec.encode(position));
    }

    /** The offset the last commit wrote for {@code partition}, or null. */
    static Long committedOffset(Db db, TopicPartition partition, String store) throws IOException {
        byte[] stored = db.get(StoreKeys.offsetKey(partition));
        return stored == null ? null : StoreKeys.decodeLong(stored, "store " + store + ": offset of " + partition);
    }

    /** Marks {@code db} closed cleanly, synced. */
    static void markClosed(Db db) throws IOException {
        db.put(StoreKeys.STATUS, StoreKeys.STATUS_CLOSED, WriteOptions.sync());
    }

    private static List<byte[]> offsetKeys(Db db) throws IOException {
        List<byte[]> keys = new ArrayList<>();
        try (DbIterator it = db.iterator(ReadOptions.defaults())) {
            for (it.seek(StoreKeys.OFFSET_PREFIX); it.isValid(); it.next()) {
                byte[] key = it.key();
                if (!startsWith(key, StoreKeys.OFFSET_PREFIX)) {
                    break;
                }
                keys.add(key);
            }
        }
        return keys;
    }

    private static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }
}
