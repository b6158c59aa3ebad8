package org.lsmtree.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lsmtree.engine.DbOpenAndWriteTest.b;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
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
    /** Seek compactions that count the compactions they schedule, and a picker that asks them. */
    private final AtomicInteger scheduled = new AtomicInteger();
    private final SeekCompactions seeks = new SeekCompactions(scheduled::incrementAndGet);
    private final CompactionPicker seeking = new CompactionPicker(options, seeks);
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

    /** Samples {@code key} in {@code version} {@code times} times: each charges a seek if two tables hold it. */
    private static void sample(Version version, String key, int times) {
        for (int n = 0; n < times; n++) {
            version.recordReadSample(InternalKey.encode(b(key), 5, ValueType.PUT));
        }
    }

    @Test
    void aTableWhoseSeekBudgetRanOutIsCompactedWithTheFilesBelowIt() throws Exception {
        FileMetadata upper = file("a", "m", 100);
        FileMetadata lower = file("a", "z", 100);
        LevelState state = state(new VersionEdit().addFile(1, upper).addFile(2, lower));
        Version version = new Version(state, null, released -> { }, null, seeks);
        sample(version, "q", 500); // only the lower table holds it: nothing charged
        sample(version, "c", 99);
        assertThat(scheduled).hasValue(0);
        assertThat(seeking.needsCompaction(state)).isFalse();
        assertThat(seeking.pick(version)).isNull();
        sample(version, "c", 1);
        assertThat(scheduled).as("scheduled once the budget is spent").hasValue(1);
        assertThat(seeking.needsCompaction(state)).isTrue();
        Compaction compaction = seeking.pick(version);
        assertThat(compaction.forSeeks()).isTrue();
        assertThat(compaction.level()).isEqualTo(1);
        assertThat(compaction.inputs()).containsExactly(upper);
        assertThat(compaction.overlapped()).containsExactly(lower);
        sample(version, "c", 10);
        assertThat(scheduled).as("one mark at a time").hasValue(1);
    }

    @Test
    void aSizeCompactionGoesBeforeASeekCompaction() throws Exception {
        LevelState state = state(new VersionEdit().addFile(1, file("a", "m", 100)).addFile(2, file("a", "z", 150 * MIB)));
        Version version = new Version(state, null, released -> { }, null, seeks);
        sample(version, "c", 100);
        assertThat(seeks.target(state)).isNotNull();
        Compaction compaction = seeking.pick(version);
        assertThat(compaction.level()).as("level 2's score is 1.5").isEqualTo(2);
        assertThat(compaction.forSeeks()).isFalse();
    }

    @Test
    void aMarkWhoseTableLeftItsLevelIsForgottenAndAMovedTableStartsAFullBudget() throws Exception {
        FileMetadata upper = file("a", "m", 100);
        FileMetadata lower = file("a", "z", 100);
        LevelState before = state(new VersionEdit().addFile(1, upper).addFile(3, lower));
        Version first = new Version(before, null, released -> { }, null, seeks);
        sample(first, "c", 100);
        assertThat(seeking.needsCompaction(before)).isTrue();
        LevelState moved = before.apply(new VersionEdit().deleteFile(1, upper.number()).addFile(2, upper));
        Version second = new Version(moved, null, released -> { }, first, seeks);
        assertThat(seeking.needsCompaction(moved)).as("the marked table left level 1").isFalse();
        assertThat(second.levelFiles(2).allowedSeeks(0)).as("a full budget at its new level").isEqualTo(100);
        assertThat(second.levelFiles(3).allowedSeeks(0)).isEqualTo(100);
        sample(second, "c", 100);
        assertThat(scheduled).as("marked again at its new level").hasValue(2);
        assertThat(seeking.pick(second).level()).isEqualTo(2);
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
