package org.lsmtree.bench;

import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * One KRaft Kafka node (controller and broker in one) inside the benchmark's JVM, listening on
 * loopback only, from Kafka's own test kit, configured for one node (replication factor 1 for the
 * offsets and transaction topics, no initial rebalance delay). Not thread-safe.
 */
final class KafkaBroker implements AutoCloseable {
    private final KafkaClusterTestKit cluster;

    private KafkaBroker(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
    }

    /** Formats a node under {@code baseDirectory}, starts it and waits until it takes requests. */
    static KafkaBroker start(Path baseDirectory) throws Exception {
        TestKitNodes nodes = new TestKitNodes.Builder().setCombined(true).setNumBrokerNodes(1)
                .setNumControllerNodes(1).setBaseDirectory(baseDirectory).build();
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
        return new KafkaBroker(cluster);
    }

    String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    void createTopic(String name, int partitions) throws Exception {
        try (Admin admin = cluster.admin()) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get();
        }
    }

    @Override
    public void close() throws Exception {
        cluster.close();
    }
}
