package org.lsmtree.bench;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.zip.CRC32C;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.SessionWindows;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlySessionStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.state.SessionStore;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The Kafka Streams topologies of {@code ./bench --kafka}, each with its seeded input, what its
 * final store must add up to, and how its store is read back. Each uses one DSL store, which
 * {@code dsl.store.suppliers.class} puts on RocksDB or on lsmtree; no output topic. Input record
 * {@code i} has timestamp {@code i * }{@value #STEP_MS} ms.
 *
 * <ul>
 *   <li>{@code wordcount}: lines of {@value #WORDS_PER_LINE} words drawn uniformly from a vocabulary
 *       of {@code max(100, num / 10)} words; {@code flatMapValues}, {@code groupBy} word (through a
 *       repartition topic) and {@code count} (key-value store). The counts sum to 5 per record.
 *   <li>{@code aggregate}: records with {@code num} distinct keys (a bijective mix of the record
 *       number, in no order) and values 0..999, summed per key with {@code groupByKey} and
 *       {@code aggregate}: the store ends with {@code num} entries, every get before a put misses.
 *   <li>{@code windowed}: one word per record from a vocabulary of {@code max(100, num / 10)},
 *       counted per word in tumbling one-minute windows (window store). Counts sum to 1 per record.
 *   <li>{@code session}: one word per record from the same vocabulary, counted per session of
 *       activity with an inactivity gap of the mean time between two records of a word (so about
 *       half the records extend a session, the others start one; session store). Counts sum to 1
 *       per record: a merged session's count moves to the session it merges into.
 * </ul>
 * Window and session stores retain {@code max(1 day, 2 * num * STEP_MS)}, so nothing expires.
 */
enum KafkaWorkload {
    WORDCOUNT("wordcount", "word-counts"),
    AGGREGATE("aggregate", "sums"),
    WINDOWED("windowed", "window-counts"),
    SESSION("session", "session-counts");

    static final int WORDS_PER_LINE = 5;
    static final String INPUT = "input";
    static final long STEP_MS = 10;
    static final Duration WINDOW = Duration.ofMinutes(1);

    /** Where generated input records go. */
    interface RecordSink {
        void send(byte[] key, byte[] value, long timestamp);
    }

    /** What a store ended with: entries, the sum of their values, a CRC32C over every key and value in order. */
    record Contents(long entries, long valueSum, long checksum) {}

    /** How the workload's store is reached: by the test driver or by interactive queries. */
    interface StoreAccess {
        ReadOnlyKeyValueStore<String, Long> keyValueStore(String name);

        ReadOnlyWindowStore<String, Long> windowStore(String name);

        ReadOnlySessionStore<String, Long> sessionStore(String name);
    }

    final String label;
    final String storeName;

    KafkaWorkload(String label, String storeName) {
        this.label = label;
        this.storeName = storeName;
    }

    static KafkaWorkload of(String label) {
        for (KafkaWorkload workload : values()) {
            if (workload.label.equals(label)) {
                return workload;
            }
        }
        throw new IllegalArgumentException("unknown Kafka workload '" + label
                + "' (wordcount, aggregate, windowed, session)");
    }

    /** The topology, without a callback on store updates. */
    Topology topology(int num) {
        return topology(num, () -> {});
    }

    /**
     * The topology for {@code num} input records; {@code onUpdate} runs for every update of the
     * store that reaches downstream (a delete of a merged session does not count), so that a run
     * on a broker knows when all input is processed ({@link #expectedUpdates}).
     */
    Topology topology(int num, Runnable onUpdate) {
        StreamsBuilder builder = new StreamsBuilder();
        switch (this) {
            case WORDCOUNT -> counted(builder.stream(INPUT, Consumed.with(Serdes.String(), Serdes.String()))
                    .flatMapValues(line -> Arrays.asList(line.split(" ")))
                    .groupBy((key, word) -> word, Grouped.with(Serdes.String(), Serdes.String()))
                    .count(Materialized.as(storeName)), onUpdate);
            case AGGREGATE -> counted(builder.stream(INPUT, Consumed.with(Serdes.String(), Serdes.Long()))
                    .groupByKey(Grouped.with(Serdes.String(), Serdes.Long()))
                    .aggregate(() -> 0L, (key, value, sum) -> sum + value,
                            Materialized.<String, Long, KeyValueStore<Bytes, byte[]>>as(storeName)
                                    .withKeySerde(Serdes.String()).withValueSerde(Serdes.Long())), onUpdate);
            case WINDOWED -> counted(builder.stream(INPUT, Consumed.with(Serdes.String(), Serdes.String()))
                    .groupByKey(Grouped.with(Serdes.String(), Serdes.String()))
                    .windowedBy(TimeWindows.ofSizeWithNoGrace(WINDOW))
                    .count(Materialized.<String, Long, WindowStore<Bytes, byte[]>>as(storeName)
                            .withRetention(retention(num))), onUpdate);
            case SESSION -> counted(builder.stream(INPUT, Consumed.with(Serdes.String(), Serdes.String()))
                    .groupByKey(Grouped.with(Serdes.String(), Serdes.String()))
                    .windowedBy(SessionWindows.ofInactivityGapWithNoGrace(Duration.ofMillis(sessionGapMs(num))))
                    .count(Materialized.<String, Long, SessionStore<Bytes, byte[]>>as(storeName)
                            .withRetention(retention(num))), onUpdate);
        }
        return builder.build(new Properties());
    }

    private static <K> void counted(KTable<K, Long> table, Runnable onUpdate) {
        table.toStream().foreach((key, value) -> {
            if (value != null) {
                onUpdate.run();
            }
        });
    }

    /** Store updates the topology forwards for {@code num} input records. */
    long expectedUpdates(int num) {
        return this == WORDCOUNT ? (long) WORDS_PER_LINE * num : num;
    }

    static int vocabulary(int num) {
        return Math.max(100, num / 10);
    }

    static long sessionGapMs(int num) {
        return vocabulary(num) * STEP_MS;
    }

    static Duration retention(int num) {
        return Duration.ofMillis(Math.max(Duration.ofDays(1).toMillis(), 2L * num * STEP_MS));
    }

    /** Generates {@code num} records made from {@code seed} into {@code sink}; returns the sum the store's values must add up to. */
    long generate(int num, long seed, RecordSink sink) {
        SplittableRandom random = new SplittableRandom(seed);
        Serializer<String> strings = Serdes.String().serializer();
        Serializer<Long> longs = Serdes.Long().serializer();
        int vocabulary = vocabulary(num);
        long expectedSum = 0;
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < num; i++) {
            long timestamp = i * STEP_MS;
            switch (this) {
                case WORDCOUNT -> {
                    line.setLength(0);
                    for (int w = 0; w < WORDS_PER_LINE; w++) {
                        line.append(w == 0 ? "" : " ").append('w').append(random.nextInt(vocabulary));
                    }
                    sink.send(null, strings.serialize(INPUT, line.toString()), timestamp);
                    expectedSum += WORDS_PER_LINE;
                }
                case AGGREGATE -> {
                    long value = random.nextInt(1000);
                    sink.send(strings.serialize(INPUT, distinctKey(i, seed)), longs.serialize(INPUT, value), timestamp);
                    expectedSum += value;
                }
                case WINDOWED, SESSION -> {
                    String word = "w" + random.nextInt(vocabulary);
                    sink.send(strings.serialize(INPUT, word), strings.serialize(INPUT, word), timestamp);
                    expectedSum += 1;
                }
            }
        }
        return expectedSum;
    }

    /** Reads the whole store back through {@code access}. */
    Contents contents(StoreAccess access) {
        CRC32C crc = new CRC32C();
        long entries = 0;
        long sum = 0;
        switch (this) {
            case WORDCOUNT, AGGREGATE -> {
                try (KeyValueIterator<String, Long> all = access.keyValueStore(storeName).all()) {
                    while (all.hasNext()) {
                        KeyValue<String, Long> entry = all.next();
                        update(crc, entry.key, entry.value);
                        entries++;
                        sum += entry.value;
                    }
                }
            }
            case WINDOWED, SESSION -> {
                try (KeyValueIterator<Windowed<String>, Long> all = this == WINDOWED
                        ? access.windowStore(storeName).all() : access.sessionStore(storeName).fetch(null, null)) {
                    while (all.hasNext()) {
                        KeyValue<Windowed<String>, Long> entry = all.next();
                        update(crc, entry.key.key() + "@" + entry.key.window().start() + "-"
                                + entry.key.window().end(), entry.value);
                        entries++;
                        sum += entry.value;
                    }
                }
            }
        }
        return new Contents(entries, sum, crc.getValue());
    }

    private static void update(CRC32C crc, String key, long value) {
        crc.update(key.getBytes(StandardCharsets.UTF_8));
        crc.update(ByteBuffer.allocate(Long.BYTES).putLong(value).flip());
    }

    /** A key of its own for every record number: a bijective 64-bit mix, so no two collide. */
    static String distinctKey(int i, long seed) {
        long x = i + seed * 0x9E3779B97F4A7C15L;
        x = (x ^ (x >>> 30)) * 0xBF58476D1CE4E5B9L;
        x = (x ^ (x >>> 27)) * 0x94D049BB133111EBL;
        x ^= x >>> 31;
        return String.format(Locale.ROOT, "%016x", x);
    }
}
