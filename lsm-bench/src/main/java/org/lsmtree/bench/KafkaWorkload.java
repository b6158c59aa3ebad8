package org.lsmtree.bench;

import java.util.Arrays;
import java.util.Locale;
import java.util.Properties;
import java.util.SplittableRandom;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The Kafka Streams topologies of {@code ./bench --kafka}, each with its seeded input and what its
 * final store must hold. Both use one DSL key-value store (timestamped, as the DSL makes it), which
 * {@code dsl.store.suppliers.class} puts on RocksDB or on lsmtree; no output topic, so the test
 * driver holds no output records on the heap.
 *
 * <ul>
 *   <li>{@code wordcount}: records are lines of {@value #WORDS_PER_LINE} words drawn uniformly from
 *       a vocabulary of {@code max(100, num / 10)} words; {@code flatMapValues}, {@code groupBy}
 *       word (through a repartition topic) and {@code count}. The counts sum to 5 per record.
 *   <li>{@code aggregate}: records with {@code num} distinct keys (a bijective mix of the record
 *       number, in no order) and values 0..999, summed per key with {@code groupByKey} and
 *       {@code aggregate}: the store ends with {@code num} entries, every get before a put misses.
 * </ul>
 */
enum KafkaWorkload {
    WORDCOUNT("wordcount", "word-counts"),
    AGGREGATE("aggregate", "sums");

    static final int WORDS_PER_LINE = 5;
    static final String INPUT = "input";

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
        throw new IllegalArgumentException("unknown Kafka workload '" + label + "' (wordcount, aggregate)");
    }

    Topology topology() {
        StreamsBuilder builder = new StreamsBuilder();
        if (this == WORDCOUNT) {
            builder.stream(INPUT, Consumed.with(Serdes.String(), Serdes.String()))
                    .flatMapValues(line -> Arrays.asList(line.split(" ")))
                    .groupBy((key, word) -> word, Grouped.with(Serdes.String(), Serdes.String()))
                    .count(Materialized.as(storeName));
        } else {
            builder.stream(INPUT, Consumed.with(Serdes.String(), Serdes.Long()))
                    .groupByKey(Grouped.with(Serdes.String(), Serdes.Long()))
                    .aggregate(() -> 0L, (key, value, sum) -> sum + value,
                            Materialized.<String, Long, KeyValueStore<Bytes, byte[]>>as(storeName)
                                    .withKeySerde(Serdes.String()).withValueSerde(Serdes.Long()));
        }
        return builder.build(new Properties());
    }

    /** Feeds {@code num} records made from {@code seed}; returns the sum of what the store's values must add up to. */
    long feed(TopologyTestDriver driver, int num, long seed, Runnable progress) {
        SplittableRandom random = new SplittableRandom(seed);
        long expectedSum = 0;
        if (this == WORDCOUNT) {
            TestInputTopic<String, String> topic = driver.createInputTopic(INPUT, Serdes.String().serializer(),
                    Serdes.String().serializer());
            int vocabulary = Math.max(100, num / 10);
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < num; i++) {
                line.setLength(0);
                for (int w = 0; w < WORDS_PER_LINE; w++) {
                    line.append(w == 0 ? "" : " ").append('w').append(random.nextInt(vocabulary));
                }
                topic.pipeInput(null, line.toString());
                expectedSum += WORDS_PER_LINE;
                progress.run();
            }
        } else {
            TestInputTopic<String, Long> topic = driver.createInputTopic(INPUT, Serdes.String().serializer(),
                    Serdes.Long().serializer());
            for (int i = 0; i < num; i++) {
                long value = random.nextInt(1000);
                topic.pipeInput(distinctKey(i, seed), value);
                expectedSum += value;
                progress.run();
            }
        }
        return expectedSum;
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
