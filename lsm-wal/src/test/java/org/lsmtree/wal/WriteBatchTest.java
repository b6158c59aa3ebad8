package org.lsmtree.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.lsmtree.testing.Mutation;

class WriteBatchTest {

    @Test
    void keepsEntriesInOrderWithTombstonesDistinctFromEmptyValues() {
        WriteBatch batch = new WriteBatch().put(b("a"), b("1")).delete(b("b")).put(b("c"), new byte[0]).put(new byte[0], b("e"));
        assertThat(batch.count()).isEqualTo(4);
        assertThat(batch.putCount()).isEqualTo(3);
        assertThat(WalFixtures.ops(batch)).containsExactly(new Mutation(b("a"), b("1")), new Mutation(b("b"), null),
                new Mutation(b("c"), new byte[0]), new Mutation(new byte[0], b("e")));
    }

    @Test
    void sizeCountsHeaderAndEncodedEntries() {
        WriteBatch batch = new WriteBatch();
        assertThat(batch.approximateSize()).isEqualTo(WalFormat.HEADER_SIZE);
        assertThat(batch.isEmpty()).isTrue();
        batch.put(b("key"), b("value")); // tag 1 + 1 + 3 + 1 + 5
        assertThat(batch.approximateSize()).isEqualTo(WalFormat.HEADER_SIZE + 11);
        batch.delete(new byte[200]); // tag 1 + varint 2 + 200
        assertThat(batch.approximateSize()).isEqualTo(WalFormat.HEADER_SIZE + 11 + 203);
    }

    @Test
    void clearEmptiesAndTheBatchIsReusable() {
        WriteBatch batch = new WriteBatch().put(b("a"), b("1")).delete(b("b"));
        batch.clear();
        assertThat(batch.count()).isZero();
        assertThat(batch.putCount()).isZero();
        assertThat(batch.approximateSize()).isEqualTo(WalFormat.HEADER_SIZE);
        assertThat(WalFixtures.ops(batch)).isEmpty();
        batch.put(b("x"), b("y"));
        assertThat(WalFixtures.ops(batch)).containsExactly(new Mutation(b("x"), b("y")));
    }

    @Test
    void appendMergesAnotherBatchAfterItsOwnEntries() {
        WriteBatch leader = new WriteBatch().put(b("a"), b("1"));
        WriteBatch follower = new WriteBatch().delete(b("a")).put(b("b"), b("2"));
        leader.append(follower);
        assertThat(leader.count()).isEqualTo(3);
        assertThat(leader.putCount()).isEqualTo(2);
        assertThat(WalFixtures.ops(leader)).containsExactly(new Mutation(b("a"), b("1")), new Mutation(b("a"), null),
                new Mutation(b("b"), b("2")));
        assertThat(WalFixtures.ops(follower)).hasSize(2);
    }

    @Test
    void keysAndValuesAreCopiedIn() {
        byte[] key = b("k");
        WriteBatch batch = new WriteBatch().put(key, key);
        key[0] = 'z';
        assertThat(WalFixtures.ops(batch)).containsExactly(new Mutation(b("k"), b("k")));
    }

    @Test
    void nullsAreTheCallersMistake() {
        assertThatThrownBy(() -> new WriteBatch().put(null, b("v"))).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new WriteBatch().put(b("k"), null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new WriteBatch().delete(null)).isInstanceOf(NullPointerException.class);
    }

    static byte[] b(String text) {
        return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
