package org.lsmtree.kafka;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.streams.errors.ProcessorStateException;
import org.apache.kafka.streams.query.Position;

/**
 * The bytes of a {@link Position} as a store keeps it under {@link StoreKeys#POSITION}: a format
 * version byte (1), the number of topics (int), then per topic its name (modified UTF-8 as
 * {@link DataOutputStream#writeUTF} writes it), the number of partitions (int) and per partition
 * the partition (int) and offset (long), all big-endian. Stateless; thread-safe.
 */
final class PositionCodec {
    private static final int VERSION = 1;

    private PositionCodec() {}

    static byte[] encode(Position position) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeInt(position.getTopics().size());
            for (String topic : position.getTopics()) {
                Map<Integer, Long> partitions = position.getPartitionPositions(topic);
                out.writeUTF(topic);
                out.writeInt(partitions.size());
                for (Map.Entry<Integer, Long> entry : partitions.entrySet()) {
                    out.writeInt(entry.getKey());
                    out.writeLong(entry.getValue());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return bytes.toByteArray();
    }

    /** The position {@link #encode} wrote; bad bytes are a {@link ProcessorStateException} naming {@code store}. */
    static Position decode(byte[] encoded, String store) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(encoded))) {
            int version = in.readUnsignedByte();
            if (version != VERSION) {
                throw new ProcessorStateException("store " + store + ": position record has format version "
                        + version + ", expected " + VERSION);
            }
            Map<String, Map<Integer, Long>> topics = new HashMap<>();
            int topicCount = in.readInt();
            for (int t = 0; t < topicCount; t++) {
                String topic = in.readUTF();
                int partitionCount = in.readInt();
                Map<Integer, Long> partitions = new HashMap<>();
                for (int p = 0; p < partitionCount; p++) {
                    partitions.put(in.readInt(), in.readLong());
                }
                topics.put(topic, partitions);
            }
            if (in.available() != 0) {
                throw new ProcessorStateException("store " + store + ": position record has "
                        + in.available() + " bytes after its last entry");
            }
            return Position.fromMap(topics);
        } catch (IOException e) {
            throw new ProcessorStateException("store " + store + ": position record of " + encoded.length
                    + " bytes is truncated", e);
        }
    }
}
