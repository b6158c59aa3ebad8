package org.lsmtree.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class CommitSyncTest {
    private static final TopicPartition CHANGELOG = new TopicPartition("app-counts-changelog", 0);
    private final AtomicLong nanos = new AtomicLong(1_000);

    @Test
    void aCommitWithNoWriteSinceTheLastAndTheSameOffsetsHasNothingToWrite() {
        CommitSync policy = new CommitSync(false, 1_000, nanos::get);
        assertThat(policy.needsWrite(Map.of(CHANGELOG, 5L))).as("nothing committed yet in this run").isTrue();
        policy.committed(Map.of(CHANGELOG, 5L), false);

        assertThat(policy.needsWrite(Map.of(CHANGELOG, 5L))).isFalse();
        assertThat(policy.needsWrite(Map.of(CHANGELOG, 6L))).as("offsets moved").isTrue();
        assertThat(policy.needsWrite(Map.of())).as("offsets cleared").isTrue();
        policy.written();
        assertThat(policy.needsWrite(Map.of(CHANGELOG, 5L))).as("a write since").isTrue();
    }

    @Test
    void aNullOffsetIsAnOffsetToCompareLikeAnyOther() {
        CommitSync policy = new CommitSync(false, 1_000, nanos::get);
        Map<TopicPartition, Long> cleared = new HashMap<>();
        cleared.put(CHANGELOG, null);
        policy.committed(cleared, false);

        assertThat(policy.needsWrite(cleared)).isFalse();
        assertThat(policy.needsWrite(Map.of(CHANGELOG, 0L))).isTrue();
    }

    @Test
    void unsyncedCommitsSyncOnceTheIntervalHasPassedSinceTheLastSync() {
        CommitSync policy = new CommitSync(false, 1_000, nanos::get);
        assertThat(policy.syncDue()).isFalse();
        nanos.addAndGet(999_999_999L);
        assertThat(policy.syncDue()).isFalse();
        nanos.addAndGet(1);
        assertThat(policy.syncDue()).isTrue();

        policy.committed(Map.of(CHANGELOG, 1L), true);
        assertThat(policy.syncDue()).as("just synced").isFalse();
        nanos.addAndGet(2_000_000_000L);
        policy.synced(); // a flush or close
        assertThat(policy.syncDue()).isFalse();
    }

    @Test
    void anUnsyncedCommitDoesNotRestartTheInterval() {
        CommitSync policy = new CommitSync(false, 1_000, nanos::get);
        nanos.addAndGet(600_000_000L);
        policy.committed(Map.of(CHANGELOG, 1L), false);
        nanos.addAndGet(600_000_000L);
        assertThat(policy.syncDue()).isTrue();
    }

    @Test
    void withWritesHeldUntilCommitEveryCommitSyncs() {
        CommitSync policy = new CommitSync(true, 1_000_000, nanos::get);
        assertThat(policy.syncDue()).isTrue();
        policy.committed(Map.of(CHANGELOG, 1L), true);
        assertThat(policy.syncDue()).isTrue();
    }

    @Test
    void anIntervalOfZeroSyncsEveryCommit() {
        CommitSync policy = new CommitSync(false, CommitSync.intervalMs("0"), nanos::get);
        assertThat(policy.syncDue()).isTrue();
    }

    @Test
    void theIntervalConfigTakesWholeMillisecondsAndNamesItselfWhenRefused() {
        assertThat(CommitSync.intervalMs(null)).isEqualTo(CommitSync.DEFAULT_SYNC_INTERVAL_MS);
        assertThat(CommitSync.intervalMs(250)).isEqualTo(250);
        assertThat(CommitSync.intervalMs(" 30000 ")).isEqualTo(30_000);
        assertThatThrownBy(() -> CommitSync.intervalMs("soon")).isInstanceOf(ConfigException.class)
                .hasMessageContaining(CommitSync.SYNC_INTERVAL_CONFIG).hasMessageContaining("soon");
        assertThatThrownBy(() -> CommitSync.intervalMs(-1)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(CommitSync.SYNC_INTERVAL_CONFIG);
        assertThatThrownBy(() -> CommitSync.intervalMs(Long.MAX_VALUE)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("out of range");
    }
}
