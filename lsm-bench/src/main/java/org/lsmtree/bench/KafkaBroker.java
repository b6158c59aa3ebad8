package org.lsmtree.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * One KRaft Kafka node (controller and broker in one) inside the benchmark's JVM, listening on
 * loopback only, from Kafka's own test kit, configured for one node (replication factor 1 for the
 * offsets and transaction topics, no initial rebalance delay). Not thread-safe.
 *
 * <p>Topics made by {@link #createTopic} keep their records for ever ({@code retention.ms=-1}):
 * the workloads' records carry timestamps from the epoch ({@link KafkaWorkload#STEP_MS} apart from
 * 0, so 1970), older than any time retention, and the broker's first retention check (30 s after
 * it starts) would otherwise delete every record of the input up to its high watermark. An
 * application that had not read it all by then waited for ever on an emptied topic: that was the
 * stall of an exactly-once run after a slow at-least-once one on the same broker.
 */
final class KafkaBroker implements AutoCloseable {
    private final KafkaClusterTestKit cluster;

    private KafkaBroker(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
    }

    /** Formats a node under {@code baseDirectory}, starts it and waits until it takes requests. */
    static KafkaBroker start(Path baseDirectory) throws Exception {
        return start(baseDirectory, Map.of());
    }

    /** As {@link #start(Path)}, with broker configs added (tests: e.g. a retention check every few ms). */
    static KafkaBroker start(Path baseDirectory, Map<String, Object> extraConfigs) throws Exception {
        TestKitNodes nodes = new TestKitNodes.Builder().setCombined(true).setNumBrokerNodes(1)
                .setNumControllerNodes(1).setBaseDirectory(baseDirectory).build();
        KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes)
                .setConfigProp("group.initial.rebalance.delay.ms", 0)
                .setConfigProp("offsets.topic.replication.factor", (short) 1)
                .setConfigProp("offsets.topic.num.partitions", 1)
                .setConfigProp("transaction.state.log.replication.factor", (short) 1)
                .setConfigProp("transaction.state.log.min.isr", 1)
                .setConfigProp("transaction.state.log.num.partitions", 1);
        extraConfigs.forEach(builder::setConfigProp);
        KafkaClusterTestKit cluster = builder.build();
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

    /** Creates topic {@code name} without time retention (see the class Javadoc). */
    void createTopic(String name, int partitions) throws Exception {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1)
                    .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1")))).all().get();
        }
    }

    /** An admin client of the broker; the caller closes it. */
    Admin admin() {
        return cluster.admin();
    }

    @Override
    public void close() throws Exception {
        cluster.close();
    }
}
