package org.lsmtree.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lsmtree.engine.DbOpenAndWriteTest.b;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.lsmtree.format.key.BytewiseComparator;
import org.lsmtree.format.key.InternalKey;
import org.lsmtree.format.key.InternalKeyComparator;
import org.lsmtree.format.key.ValueType;
import org.lsmtree.manifest.FileMetadata;
import org.lsmtree.manifest.LevelState;
import org.lsmtree.manifest.VersionEdit;

/** LevelDB's picking rules on hand-made level states: scores, compact pointers, flush levels, trivial moves. */
class CompactionPickerTest {
    private static final long MIB = 1 << 20;
    private final Options options = Options.defaults();
    private final CompactionPicker picker = new CompactionPicker(options);
    private long nextNumber = 10;

    private FileMetadata file(String smallest, String largest, long size) {
        return new FileMetadata(nextNumber++, size, InternalKey.encode(b(smallest), 5, ValueType.PUT),
                InternalKey.encode(b(largest), 5, ValueType.PUT));
    }

    private static LevelState state(VersionEdit edit) throws Exception {
        return LevelState.empty(new InternalKeyComparator(BytewiseComparator.INSTANCE))
                .apply(edit.setComparatorName(BytewiseComparator.INSTANCE.name()).setLogNumber(1).setNextFileNumber(1000)
                        .setLastSequence(100));
    }

    private static Version version(LevelState state) {
        return new Version(state, null, released -> { });
    }

    @Test
    void levelZeroIsScoredByFileCountAndDeeperLevelsByBytes() throws Exception {
        VersionEdit edit = new VersionEdit();
        for (int i = 0; i < 3; i++) {
            edit.addFile(0, file("a", "z", 100));
        }
        edit.addFile(1, file("a", "c", 5 * MIB)).addFile(2, file("a", "c", 150 * MIB));
        LevelState state = state(edit);
        assertThat(picker.score(state, 0)).isEqualTo(0.75);
        assertThat(picker.score(state, 1)).isEqualTo(0.5);
        assertThat(picker.score(state, 2)).isEqualTo(1.5);
        assertThat(picker.levelToCompact(state)).isEqualTo(2);
        Compaction compaction = picker.pick(version(state));
        assertThat(compaction.level()).isEqualTo(2);
    }

    @Test
    void nothingIsPickedWhileEveryScoreIsUnderOne() throws Exception {
        LevelState state = state(new VersionEdit().addFile(0, file("a", "b", 100)).addFile(1, file("c", "d", MIB)));
        assertThat(picker.needsCompaction(state)).isFalse();
        assertThat(picker.pick(version(state))).isNull();
    }

    @Test
    void theFirstFilePastTheCompactPointerIsPickedAndThePointerWrapsAround() throws Exception {
        FileMetadata first = file("a", "b", 4 * MIB);
        FileMetadata second = file("c", "d", 4 * MIB);
        FileMetadata third = file("e", "f", 4 * MIB);
        VersionEdit edit = new VersionEdit().addFile(1, first).addFile(1, second).addFile(1, third);
        LevelState none = state(edit);
        assertThat(picker.pick(version(none)).inputs()).containsExactly(first);
        LevelState afterFirst = none.apply(new VersionEdit().addCompactPointer(1, first.largest()));
        Compaction next = picker.pick(version(afterFirst));
        assertThat(next.inputs()).containsExactly(second);
        assertThat(next.edit(List.of()).compactPointers()).containsExactly(
                new VersionEdit.CompactPointer(1, second.largest()));
        LevelState atEnd = none.apply(new VersionEdit().addCompactPointer(1, third.largest()));
        assertThat(picker.pick(version(atEnd)).inputs()).containsExactly(first);
    }

    @Test
    void aLevelZeroPickTakesEveryLevelZeroFileItOverlaps() throws Exception {
        FileMetadata a = file("a", "f", 100);
        FileMetadata b = file("e", "k", 100);
        FileMetadata c = file("j", "m", 100);
        FileMetadata d = file("x", "z", 100);
        LevelState state = state(new VersionEdit().addFile(0, a).addFile(0, b).addFile(0, c).addFile(0, d));
        Compaction compaction = picker.pick(version(state));
        assertThat(compaction.level()).isZero();
        assertThat(compaction.inputs()).containsExactlyInAnyOrder(a, b, c);
        assertThat(compaction.isTrivialMove()).isFalse();
    }

    @Test
    void aSingleFileWithNothingBelowIsATrivialMoveUnlessItsGrandparentsAreTooBig() throws Exception {
        FileMetadata big = file("a", "c", 12 * MIB);
        LevelState alone = state(new VersionEdit().addFile(1, big));
        assertThat(picker.pick(version(alone)).isTrivialMove()).isTrue();
        LevelState overGrandparents = state(new VersionEdit().addFile(1, file("a", "c", 12 * MIB))
                .addFile(3, file("a", "b", 15 * MIB)).addFile(3, file("b1", "c", 15 * MIB)));
        Compaction compaction = picker.pick(version(overGrandparents));
        assertThat(compaction.overlapped()).isEmpty();
        assertThat(compaction.isTrivialMove()).as("30 MiB of grandparents, over 10 target sizes").isFalse();
        LevelState withParent = state(new VersionEdit().addFile(1, file("a", "c", 12 * MIB)).addFile(2, file("b", "d", MIB)));
        assertThat(picker.pick(version(withParent)).isTrivialMove()).isFalse();
    }

    @Test
    void aFlushGoesToTheDeepestLevelUpToTwoItDoesNotOverlap() throws Exception {
        assertThat(picker.levelForFlush(state(new VersionEdit()), b("a"), b("c"))).isEqualTo(2);
        LevelState levelZero = state(new VersionEdit().addFile(0, file("b", "d", 100)));
        assertThat(picker.levelForFlush(levelZero, b("a"), b("c"))).isZero();
        assertThat(picker.levelForFlush(levelZero, b("e"), b("f"))).isEqualTo(2);
        LevelState levelTwo = state(new VersionEdit().addFile(2, file("b", "d", 100)));
        assertThat(picker.levelForFlush(levelTwo, b("a"), b("c"))).isEqualTo(1);
        LevelState levelOne = state(new VersionEdit().addFile(1, file("b", "d", 100)));
        assertThat(picker.levelForFlush(levelOne, b("a"), b("c"))).isZero();
        LevelState bigBelow = state(new VersionEdit().addFile(2, file("a", "b", 25 * MIB)));
        assertThat(picker.levelForFlush(bigBelow, b("a"), b("a1"))).as("over 10 target sizes at level 2").isZero();
    }
}
