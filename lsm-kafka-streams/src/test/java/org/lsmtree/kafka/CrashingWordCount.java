package org.lsmtree.kafka;

import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The word count of the broker tests as a process of its own, for a test to kill without warning
 * (SIGKILL: no close, no commit, no flush). Arguments: bootstrap servers, state directory,
 * application id, input topic, output topic. Runs until killed.
 */
public final class CrashingWordCount {
    private CrashingWordCount() {}

    public static void main(String[] args) throws InterruptedException {
        Properties props = KafkaStreamsOnBrokerTest.streamsProps(args[0], args[2], Path.of(args[1]),
                StreamsConfig.EXACTLY_ONCE_V2);
        KafkaStreams streams = new KafkaStreams(
                TopologyParityTest.wordCount(LsmStores::persistentKeyValueStore, args[3], args[4]), props);
        streams.start();
        new CountDownLatch(1).await(); // until killed
    }
}
