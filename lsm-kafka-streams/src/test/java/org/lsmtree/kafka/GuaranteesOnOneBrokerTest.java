package org.lsmtree.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.CloseOptions.GroupMembershipOperation;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * An exactly-once application on our stores after an at-least-once one on the same broker (as
 * {@code ./bench --kafka --broker} once ran them, issue 17): the exactly-once one processes, with a
 * fresh application id and state directory, and with the same ones (it then continues from the
 * input offsets the at-least-once run committed, over the stores it closed: their offsets written
 * by unbuffered writes, reopened with writes held until commit).
 */
@Timeout(180)
class GuaranteesOnOneBrokerTest {
    private static final Duration WAIT = Duration.ofSeconds(45);

    @TempDir
    static Path root;

    private static BrokerCluster cluster;

    @BeforeAll
    static void startBroker() throws Exception {
        cluster = BrokerCluster.start(root.resolve("broker"));
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @ParameterizedTest(name = "same application: {0}")
    @ValueSource(booleans = {false, true})
    void exactlyOnceAfterAtLeastOnceProcesses(boolean sameApplication) throws Exception {
        String prefix = "same-" + sameApplication;
        String input = prefix + "-lines";
        String output = prefix + "-counts";
        cluster.createTopics(1, input, output);
        Function<String, KeyValueBytesStoreSupplier> stores = LsmStores::persistentKeyValueStore;
        List<String> all = new ArrayList<>(lines(0, 300));
        cluster.produce(input, all);
        Properties alos = KafkaStreamsOnBrokerTest.streamsProps(cluster.bootstrapServers(), prefix + "-alos",
                root.resolve(prefix + "-alos"), StreamsConfig.AT_LEAST_ONCE);
        alos.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 30_000); // Kafka's default: no commit before the close
        run(alos, stores, input, output, expectedCounts(all));

        List<String> more = lines(300, 100);
        all.addAll(more);
        cluster.produce(input, more);
        String app = sameApplication ? prefix + "-alos" : prefix + "-eos";
        Properties eos = KafkaStreamsOnBrokerTest.streamsProps(cluster.bootstrapServers(), app, root.resolve(app),
                StreamsConfig.EXACTLY_ONCE_V2);
        run(eos, stores, input, output, expectedCounts(all));
    }

    private static void run(Properties props, Function<String, KeyValueBytesStoreSupplier> stores, String input,
            String output, Map<String, Long> expected) throws Exception {
        try (KafkaStreams streams = new KafkaStreams(TopologyParityTest.wordCount(stores, input, output), props)) {
            long start = System.nanoTime();
            streams.start();
            Map<String, Long> latest = cluster.readLatestUntil(output, expected, WAIT, new HashMap<>());
            System.out.printf("%s (%s): %s after %d ms, streams %s%n", props.get(StreamsConfig.APPLICATION_ID_CONFIG),
                    props.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG),
                    latest.equals(expected) ? "complete" : "INCOMPLETE", (System.nanoTime() - start) / 1_000_000,
                    streams.state());
            if (!latest.equals(expected)) {
                Thread.getAllStackTraces().forEach((thread, stack) -> {
                    if (thread.getName().contains("StreamThread")) {
                        System.out.println(thread + " " + thread.getState());
                        for (StackTraceElement element : stack) {
                            System.out.println("    at " + element);
                        }
                    }
                });
            }
            assertThat(latest).as("the output of %s", props.get(StreamsConfig.APPLICATION_ID_CONFIG))
                    .isEqualTo(expected);
            streams.close(CloseOptions.groupMembershipOperation(GroupMembershipOperation.LEAVE_GROUP)
                    .withTimeout(Duration.ofSeconds(30)));
        }
    }

    private static List<String> lines(int from, int count) {
        List<String> out = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            out.add("w" + (i % 7) + " w" + (i % 3) + " shared");
        }
        return out;
    }

    private static Map<String, Long> expectedCounts(List<String> lines) {
        Map<String, Long> counts = new HashMap<>();
        for (String line : lines) {
            for (String word : line.toLowerCase(Locale.ROOT).split("\\W+")) {
                counts.merge(word, 1L, Long::sum);
            }
        }
        return counts;
    }
}
