package org.lsmtree.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaRunTest {
    @TempDir
    Path stateDir;

    @Test
    void drainingDropsWhatTheDriverKeptOfTheRepartitionAndChangelogTopics() {
        KafkaWorkload workload = KafkaWorkload.WORDCOUNT;
        try (TopologyTestDriver driver = new TopologyTestDriver(workload.topology(20),
                KafkaRun.config("lsmtree", stateDir))) {
            TestInputTopic<byte[], byte[]> input = driver.createInputTopic(KafkaWorkload.INPUT,
                    new ByteArraySerializer(), new ByteArraySerializer());
            workload.generate(20, 7, input::pipeInput);

            long dropped = KafkaRun.drainProduced(driver);

            // 20 lines of 5 words: 100 repartitioned records and 100 changelog updates
            assertThat(dropped).isEqualTo(200);
            assertThat(KafkaRun.drainProduced(driver)).isZero();
        }
    }

    @Test
    void theStoreOfAWorkloadIsOursOnlyWhenAskedFor() {
        assertThat(KafkaRun.config("lsmtree", stateDir)).containsValue(org.lsmtree.kafka.LsmDslStoreSuppliers.class
                .getName());
        assertThat(KafkaRun.config("rocksdb", stateDir).values()).noneMatch(v -> v.toString().contains("lsmtree"));
    }
}
