package org.lsmtree.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.CloseOptions.GroupMembershipOperation;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A real Kafka Streams application on a real (in-process, loopback-only) KRaft broker, its state
 * in our stores: it processes, closes, and on restart over the same state directory continues
 * from the offsets its stores committed, without restoring from the changelog; with the state
 * directory gone it restores everything from the changelog into our stores and still counts right.
 */
@Timeout(120)
class KafkaStreamsOnBrokerTest {
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

    /** Counts restored records, whichever store they went to. */
    static final class RestoreCounter implements StateRestoreListener {
        final AtomicLong restored = new AtomicLong();

        @Override
        public void onRestoreStart(TopicPartition partition, String store, long start, long end) {}

        @Override
        public void onBatchRestored(TopicPartition partition, String store, long batchEnd, long count) {
            restored.addAndGet(count);
        }

        @Override
        public void onRestoreEnd(TopicPartition partition, String store, long total) {}
    }

    private Properties props(String app, Path stateDir, String guarantee) {
        return streamsProps(cluster.bootstrapServers(), app, stateDir, guarantee);
    }

    static Properties streamsProps(String bootstrapServers, String app, Path stateDir, String guarantee) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, app);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        // A killed instance leaves the group after this long (the broker's minimum), not the default 45 s.
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 6_000);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 1_000);
        // Under exactly-once, stores are committed (and trusted after a crash) at every commit only with this on.
        props.put(StreamsConfig.TRANSACTIONAL_STATE_STORES_CONFIG, true);
        return props;
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

    /** Runs the word count until its output shows {@code expected}; returns the records it restored. */
    private long runUntil(Properties props, Map<String, Long> expected, String input, String output) throws Exception {
        return runUntil(props, expected, input, output, new HashMap<>());
    }

    private long runUntil(Properties props, Map<String, Long> expected, String input, String output,
            Map<String, List<Long>> seen) throws Exception {
        RestoreCounter restores = new RestoreCounter();
        try (KafkaStreams streams = new KafkaStreams(
                TopologyParityTest.wordCount(LsmStores::persistentKeyValueStore, input, output), props)) {
            streams.setGlobalStateRestoreListener(restores);
            long start = System.nanoTime();
            streams.start();
            Map<String, Long> latest = cluster.readLatestUntil(output, expected, WAIT, seen);
            long processed = System.nanoTime();
            assertThat(latest).isEqualTo(expected);
            streams.close(CloseOptions.groupMembershipOperation(GroupMembershipOperation.LEAVE_GROUP)
                    .withTimeout(Duration.ofSeconds(30)));
            System.out.printf("%s: output complete after %d ms, closed after %d ms more%n",
                    props.get(StreamsConfig.APPLICATION_ID_CONFIG), (processed - start) / 1_000_000,
                    (System.nanoTime() - processed) / 1_000_000);
        }
        return restores.restored.get();
    }

    @Test
    void restartOnTheSameStateDirectoryContinuesWithoutARestore() throws Exception {
        cluster.createTopics(2, "alos-lines", "alos-counts");
        Path stateDir = root.resolve("alos-state");
        Properties props = props("alos", stateDir, StreamsConfig.AT_LEAST_ONCE);
        List<String> all = new ArrayList<>(lines(0, 200));
        cluster.produce("alos-lines", all);
        assertThat(runUntil(props, expectedCounts(all), "alos-lines", "alos-counts")).isZero();
        try (Stream<Path> files = Files.walk(stateDir)) {
            assertThat(files.filter(p -> p.endsWith(Path.of("lsm", "word-counts")))).isNotEmpty();
        }

        List<String> more = lines(200, 100);
        all.addAll(more);
        cluster.produce("alos-lines", more);
        assertThat(runUntil(props, expectedCounts(all), "alos-lines", "alos-counts")).as("records restored on restart").isZero();

        // Without the state directory, the same application restores its counts from the changelog into our stores.
        deleteRecursively(stateDir);
        List<String> last = lines(300, 10);
        all.addAll(last);
        cluster.produce("alos-lines", last);
        assertThat(runUntil(props, expectedCounts(all), "alos-lines", "alos-counts")).as("records restored").isPositive();
    }

    /**
     * Two instances of one application: the first processes alone, the second joins, the first
     * leaves; the second then holds every task and has restored the state of each from the
     * changelog into our stores, and counts on from there.
     */
    @Test
    void aSecondInstanceRestoresTheTasksOfOneThatLeaves() throws Exception {
        cluster.createTopics(2, "pair-lines", "pair-counts");
        Properties first = props("pair", root.resolve("pair-first"), StreamsConfig.AT_LEAST_ONCE);
        Properties second = props("pair", root.resolve("pair-second"), StreamsConfig.AT_LEAST_ONCE);
        List<String> all = new ArrayList<>(lines(0, 150));
        cluster.produce("pair-lines", all);
        RestoreCounter restoresOfSecond = new RestoreCounter();
        try (KafkaStreams one = new KafkaStreams(
                        TopologyParityTest.wordCount(LsmStores::persistentKeyValueStore, "pair-lines", "pair-counts"), first);
                KafkaStreams two = new KafkaStreams(
                        TopologyParityTest.wordCount(LsmStores::persistentKeyValueStore, "pair-lines", "pair-counts"), second)) {
            one.start();
            assertThat(cluster.readLatestUntil("pair-counts", expectedCounts(all), WAIT, new HashMap<>()))
                    .isEqualTo(expectedCounts(all));
            two.setGlobalStateRestoreListener(restoresOfSecond);
            two.start();
            waitUntil(() -> two.state() == KafkaStreams.State.RUNNING && one.state() == KafkaStreams.State.RUNNING);
            one.close(CloseOptions.groupMembershipOperation(GroupMembershipOperation.LEAVE_GROUP)
                    .withTimeout(Duration.ofSeconds(30)));
            List<String> more = lines(150, 50);
            all.addAll(more);
            cluster.produce("pair-lines", more);
            assertThat(cluster.readLatestUntil("pair-counts", expectedCounts(all), WAIT, new HashMap<>()))
                    .isEqualTo(expectedCounts(all));
            two.close(CloseOptions.groupMembershipOperation(GroupMembershipOperation.LEAVE_GROUP)
                    .withTimeout(Duration.ofSeconds(30)));
        }
        assertThat(restoresOfSecond.restored.get()).as("records the second instance restored").isPositive();
        try (Stream<Path> files = Files.walk(root.resolve("pair-second"))) {
            assertThat(files.filter(p -> p.endsWith(Path.of("lsm", "word-counts")))).hasSize(2); // tasks 1_0 and 1_1
        }
    }

    /**
     * An exactly-once application after an at-least-once one on the same broker (as
     * {@code ./bench --kafka --broker} once ran them, issue 17): it processes with a fresh
     * application id and state directory, and with the same ones (it then continues from the input
     * offsets the first committed, over the stores it closed, reopened with writes held until commit).
     */
    @ParameterizedTest(name = "same application: {0}")
    @ValueSource(booleans = {false, true})
    void exactlyOnceAfterAtLeastOnceOnTheSameBrokerProcesses(boolean sameApplication) throws Exception {
        String prefix = "guarantees-" + sameApplication;
        String input = prefix + "-lines";
        String output = prefix + "-counts";
        cluster.createTopics(1, input, output);
        List<String> all = new ArrayList<>(lines(0, 300));
        cluster.produce(input, all);
        Properties alos = props(prefix + "-alos", root.resolve(prefix + "-alos"), StreamsConfig.AT_LEAST_ONCE);
        alos.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 30_000); // Kafka's default: no commit before the close
        runUntil(alos, expectedCounts(all), input, output);

        List<String> more = lines(300, 100);
        all.addAll(more);
        cluster.produce(input, more);
        String app = sameApplication ? prefix + "-alos" : prefix + "-eos";
        runUntil(props(app, root.resolve(app), StreamsConfig.EXACTLY_ONCE_V2), expectedCounts(all), input, output);
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited %s", WAIT).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    /**
     * Under exactly-once, a process killed (SIGKILL) in the middle of its work leaves our store at
     * its last commit with the offsets of that commit: on restart Kafka Streams replays only the
     * changelog past them (no wipe, no full restore), and the committed output counts every word
     * exactly once: for each word, 1, 2, 3 and so on without a gap or a repeat.
     */
    @Test
    void killedUnderExactlyOnceRestartsAtItsLastCommitWithoutAFullRestore() throws Exception {
        cluster.createTopics(2, "eos-lines", "eos-counts");
        Path stateDir = root.resolve("eos-state");
        List<String> all = new ArrayList<>(lines(0, 200));
        cluster.produce("eos-lines", all);
        Path log = root.resolve("crashing-word-count.log");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), CrashingWordCount.class.getName(),
                cluster.bootstrapServers(), stateDir.toString(), "eos", "eos-lines", "eos-counts")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            Map<String, Long> firstBatch = expectedCounts(all);
            assertThat(cluster.readLatestUntil("eos-counts", firstBatch, WAIT, new HashMap<>()))
                    .as("the child's output; its log is %s", log).isEqualTo(firstBatch);
            List<String> more = lines(200, 400);
            all.addAll(more);
            cluster.produce("eos-lines", more);
            Thread.sleep(300); // let it be mid-transaction
        } finally {
            child.destroyForcibly(); // SIGKILL
            assertThat(child.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        }

        Map<String, List<Long>> seen = new HashMap<>();
        long restored = runUntil(props("eos", stateDir, StreamsConfig.EXACTLY_ONCE_V2), expectedCounts(all),
                "eos-lines", "eos-counts", seen);
        assertThat(restored).as("records restored after the kill (a wipe restores over 600)").isLessThan(600);
        seen.forEach((word, counts) -> {
            for (int i = 0; i < counts.size(); i++) {
                assertThat(counts.get(i)).as("count %s of %s", i + 1, word).isEqualTo(i + 1L);
            }
        });
    }

    private static void deleteRecursively(Path dir) throws Exception {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
