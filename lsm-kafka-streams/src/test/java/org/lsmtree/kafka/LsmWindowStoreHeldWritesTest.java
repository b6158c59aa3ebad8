package org.lsmtree.kafka;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

/**
 * Every case of {@link LsmWindowStoreTest} again with the writes held until commit (exactly-once
 * with transactional state stores), where reads merge them over the segments; and what only
 * holding writes does.
 */
class LsmWindowStoreHeldWritesTest extends LsmWindowStoreTest {
    @Override
    TestStoreContext context() {
        return new TestStoreContext(stateDir.toFile(), StreamsConfig.EXACTLY_ONCE_V2).withTransactionalStateStores();
    }

    @Test
    void writesReachTheSegmentsOnlyAtCommitAndAReopenWithoutOneDropsThem() {
        TopicPartition changelog = new TopicPartition("app-windows-changelog", 0);
        var store = open(false);
        store.put(Bytes.wrap("a".getBytes(UTF_8)), "1".getBytes(UTF_8), 0);
        store.commit(Map.of(changelog, 4L));
        store.put(Bytes.wrap("a".getBytes(UTF_8)), "2".getBytes(UTF_8), 0);
        assertThat(store.approximateNumUncommittedBytes()).isPositive();
        assertThat(store.fetch(Bytes.wrap("a".getBytes(UTF_8)), 0)).isEqualTo("2".getBytes(UTF_8));
        store.close(); // no commit: as after a crash, the held write is gone
        store = open(false);
        assertThat(store.fetch(Bytes.wrap("a".getBytes(UTF_8)), 0)).isEqualTo("1".getBytes(UTF_8));
        assertThat(store.committedOffset(changelog)).isEqualTo(4L);
    }
}
