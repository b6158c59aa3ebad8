package org.lsmtree.sstable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lsmtree.sstable.TableFixtures.b;

import io.netty.buffer.ByteBufUtil;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.lsmtree.format.CorruptionException;
import org.lsmtree.format.LittleEndian;

class BlockTest {

    private static Block build(int restartInterval, String... keys) throws CorruptionException {
        try (BlockBuilder builder = new BlockBuilder(restartInterval)) {
            for (String key : keys) {
                builder.add(b(key), b("v-" + key));
            }
            return new Block(ByteBufUtil.getBytes(builder.finish()), "test", 100, true);
        }
    }

    @Test
    void restartPointsFallEveryIntervalEntriesAndStoreWholeKeys() throws CorruptionException {
        Block block = build(2, "apple", "applesauce", "apricot", "banana", "bandana");
        assertThat(block.restartCount()).isEqualTo(3);
        assertThat(block.restart(0)).isZero();
        byte[] contents = block.contents();
        for (int i = 0; i < block.restartCount(); i++) {
            assertThat(contents[block.restart(i)]).as("restart %d shares no key bytes", i).isZero();
        }
        // The second entry shares "apple" with the first.
        assertThat(contents[block.restart(0) + 3 + 5 + 7]).isEqualTo((byte) 5);
    }

    @Test
    void seekFindsTheFirstKeyAtOrAfterTheTargetAndPrevWalksBack() throws CorruptionException {
        Block block = build(3, "a", "c", "e", "g", "i", "k", "m");
        BlockIterator iterator = block.iterator(Arrays::compareUnsigned);
        iterator.seek(b("f"));
        assertThat(iterator.key()).isEqualTo(b("g"));
        iterator.prev();
        assertThat(iterator.key()).isEqualTo(b("e"));
        iterator.prev();
        iterator.prev();
        iterator.prev();
        assertThat(iterator.isValid()).isFalse();
        iterator.seek(b("n"));
        assertThat(iterator.isValid()).isFalse();
        iterator.seekToLast();
        assertThat(iterator.value()).isEqualTo(b("v-m"));
    }

    @Test
    void anEmptyBlockIsEightBytesAndHasNoEntries() throws CorruptionException {
        try (BlockBuilder builder = new BlockBuilder(16)) {
            byte[] contents = ByteBufUtil.getBytes(builder.finish());
            assertThat(contents).containsExactly(0, 0, 0, 0, 1, 0, 0, 0);
            BlockIterator iterator = new Block(contents, "test", 0, true).iterator(Arrays::compareUnsigned);
            iterator.seekToFirst();
            assertThat(iterator.isValid()).isFalse();
        }
    }

    @Test
    void aRestartCountThatDoesNotFitIsACorruptionAtTheBlock() throws CorruptionException {
        byte[] contents = build(16, "a", "b").contents().clone();
        LittleEndian.putFixed32(contents, contents.length - 4, 1_000_000);
        assertThatThrownBy(() -> new Block(contents, "test", 100, true))
                .isInstanceOfSatisfying(CorruptionException.class, e -> assertThat(e.offset()).isEqualTo(100));
    }

    @Test
    void anEntryThatOverrunsItsBlockIsACorruptionWhenReached() throws CorruptionException {
        byte[] contents = build(16, "a", "b").contents().clone();
        contents[2] = 100; // the first entry's value length now runs past the entries
        BlockIterator iterator = new Block(contents, "test", 100, true).iterator(Arrays::compareUnsigned);
        assertThatThrownBy(iterator::seekToFirst)
                .isInstanceOfSatisfying(CorruptionException.class, e -> assertThat(e.offset()).isEqualTo(100));
        assertThat(iterator.isValid()).isFalse();
    }
}
