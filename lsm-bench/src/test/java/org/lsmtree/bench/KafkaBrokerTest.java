package org.lsmtree.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark's broker keeps the workloads' records, whose timestamps start at the epoch (1970),
 * through the broker's time-retention checks, which delete such records from a topic made with the
 * broker's defaults (that deletion emptied the input under a slow run: issue 17's stall).
 */
@Timeout(120)
class KafkaBrokerTest {
    private static final int RECORDS = 200;

    @TempDir
    Path root;

    @Test
    void inputTopicKeepsRecordsStampedAtTheEpochThroughRetentionChecks() throws Exception {
        // The first retention check at once and one every 100 ms, instead of after 30 s and every 5 minutes.
        try (KafkaBroker broker = KafkaBroker.start(root.resolve("broker"),
                Map.of("log.initial.task.delay.ms", 0L, "log.retention.check.interval.ms", 100L))) {
            broker.createTopic(KafkaWorkload.INPUT, 1);
            try (Admin admin = broker.admin()) {
                admin.createTopics(List.of(new NewTopic("with-broker-defaults", 1, (short) 1))).all().get();
            }
            produceAtTheEpoch(broker, KafkaWorkload.INPUT);
            produceAtTheEpoch(broker, "with-broker-defaults");

            long deadline = System.nanoTime() + 30_000_000_000L;
            while (earliestOffset(broker, "with-broker-defaults") < RECORDS) {
                assertThat(System.nanoTime()).as("a topic with the broker's defaults loses its records stamped "
                        + "in 1970 within 30 s").isLessThan(deadline);
                Thread.sleep(100);
            }
            assertThat(earliestOffset(broker, KafkaWorkload.INPUT)).as("the input's first offset").isZero();
        }
    }

    private static void produceAtTheEpoch(KafkaBroker broker, String topic) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < RECORDS; i++) {
                producer.send(new ProducerRecord<>(topic, null, i * KafkaWorkload.STEP_MS, new byte[] {(byte) i},
                        new byte[] {(byte) i}));
            }
            producer.flush();
        }
    }

    private static long earliestOffset(KafkaBroker broker, String topic) throws Exception {
        TopicPartition partition = new TopicPartition(topic, 0);
        try (Admin admin = broker.admin()) {
            return admin.listOffsets(Map.of(partition, OffsetSpec.earliest())).partitionResult(partition).get()
                    .offset();
        }
    }
}
