package org.lsmtree.kafka;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code approximateNumEntries}: exact while small, the engine's estimate (no scan) above the limit. */
class ApproximateNumEntriesTest {
    private static final int MANY = (int) LsmKeyValueStore.EXACT_COUNT_LIMIT + 2000;

    @TempDir
    Path stateDir;

    private LsmKeyValueStore store;

    @AfterEach
    void close() {
        store.close();
    }

    private void open(TestStoreContext context) {
        store = (LsmKeyValueStore) LsmStores.persistentKeyValueStore("counts").get();
        store.init(context, store);
    }

    private static List<KeyValue<Bytes, byte[]>> entries(int from, int to) {
        List<KeyValue<Bytes, byte[]>> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(KeyValue.pair(Bytes.wrap(("k" + i).getBytes(UTF_8)), new byte[] {1}));
        }
        return out;
    }

    @Test
    void aLargeStoreAnswersWithTheEnginesEstimateWhichCountsItsBookkeepingToo() {
        open(new TestStoreContext(stateDir.toFile(), StreamsConfig.AT_LEAST_ONCE));
        store.putAll(entries(0, MANY));
        store.commit(Map.of(new TopicPartition("c", 0), 5L));

        long estimate = Long.parseLong(store.engineProperty("lsm.estimate-num-keys"));

        assertThat(store.approximateNumEntries()).isEqualTo(estimate)
                .isBetween((long) MANY, MANY + 5L); // + status, position, offset
    }

    @Test
    void heldWritesAddToTheEstimateAndReadCommittedLeavesThemOut() {
        open(new TestStoreContext(stateDir.toFile(), StreamsConfig.EXACTLY_ONCE_V2).withTransactionalStateStores());
        store.putAll(entries(0, MANY));
        store.commit(Map.of(new TopicPartition("c", 0), 5L));
        store.putAll(entries(MANY, MANY + 100));

        long estimate = Long.parseLong(store.engineProperty("lsm.estimate-num-keys"));

        assertThat(store.approximateNumEntries()).isEqualTo(estimate + 100);
        assertThat(store.readOnly(IsolationLevel.READ_COMMITTED).approximateNumEntries()).isEqualTo(estimate);
    }
}
