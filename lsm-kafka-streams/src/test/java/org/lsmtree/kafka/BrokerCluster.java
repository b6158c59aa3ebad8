package org.lsmtree.kafka;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * One KRaft Kafka node (controller and broker in one) in this JVM, listening on loopback only,
 * from Kafka's own test kit; with the few client helpers the broker tests share.
 */
final class BrokerCluster implements AutoCloseable {
    private final KafkaClusterTestKit cluster;

    private BrokerCluster(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
    }

    static BrokerCluster start(Path baseDirectory) throws Exception {
        TestKitNodes nodes = new TestKitNodes.Builder()
                .setCombined(true)
                .setNumBrokerNodes(1)
                .setNumControllerNodes(1)
                .setBaseDirectory(baseDirectory)
                .build();
        KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(nodes)
                .setConfigProp("group.initial.rebalance.delay.ms", 0)
                .setConfigProp("offsets.topic.replication.factor", (short) 1)
                .setConfigProp("offsets.topic.num.partitions", 1)
                .setConfigProp("transaction.state.log.replication.factor", (short) 1)
                .setConfigProp("transaction.state.log.min.isr", 1)
                .setConfigProp("transaction.state.log.num.partitions", 1)
                .build();
        try {
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
        } catch (Exception e) {
            cluster.close();
            throw e;
        }
        return new BrokerCluster(cluster);
    }

    String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    void createTopics(int partitions, String... names) throws Exception {
        try (Admin admin = cluster.admin()) {
            List<NewTopic> topics = new ArrayList<>();
            for (String name : names) {
                topics.add(new NewTopic(name, partitions, (short) 1));
            }
            admin.createTopics(topics).all().get();
        }
    }

    void produce(String topic, List<String> values) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < values.size(); i++) {
                producer.send(new ProducerRecord<>(topic, "line-" + i, values.get(i)));
            }
            producer.flush();
        }
    }

    /**
     * Reads {@code topic} (committed records only) until the latest value of every key equals
     * {@code expected} or {@code timeout} passes; returns the latest values, and adds every value
     * read to {@code valuesPerKey}.
     */
    Map<String, Long> readLatestUntil(String topic, Map<String, Long> expected, Duration timeout,
            Map<String, List<Long>> valuesPerKey) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        Map<String, Long> latest = new HashMap<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<String, Long> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new LongDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (!latest.equals(expected) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, Long> record : consumer.poll(Duration.ofMillis(200))) {
                    latest.put(record.key(), record.value());
                    valuesPerKey.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(record.value());
                }
            }
        }
        return latest;
    }

    @Override
    public void close() throws Exception {
        cluster.close();
    }
}
