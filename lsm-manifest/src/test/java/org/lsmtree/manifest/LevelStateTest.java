package org.lsmtree.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lsmtree.manifest.EditScenarios.BYTEWISE;
import static org.lsmtree.manifest.EditScenarios.file;
import static org.lsmtree.manifest.EditScenarios.key;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.lsmtree.format.CorruptionException;

class LevelStateTest {

    private static LevelState base() throws CorruptionException {
        return LevelState.empty(BYTEWISE).apply(new EditScenarios(0).first().setNextFileNumber(100)
                .addFile(0, file(10, "c", "f")).addFile(0, file(11, "a", "z"))
                .addFile(1, file(20, "a", "c")).addFile(1, file(21, "m", "p")));
    }

    @Test
    void filesAreSortedBySmallestKeyAtEveryLevelIncludingZero() throws CorruptionException {
        LevelState state = base();
        assertThat(state.files(0)).extracting(FileMetadata::number).containsExactly(11L, 10L);
        assertThat(state.files(1)).extracting(FileMetadata::number).containsExactly(20L, 21L);
        assertThat(state.bytes(1)).isEqualTo(1020 + 1021);
        assertThat(state.levelOf(21)).hasValue(1);
    }

    @Test
    void deletingAFileNoLevelHoldsIsCorruption() throws CorruptionException {
        LevelState state = base();
        assertThatThrownBy(() -> state.apply(new VersionEdit().deleteFile(2, 77)))
                .isInstanceOfSatisfying(CorruptionException.class,
                        e -> assertThat(e.reason()).contains("deletes file 77 from level 2").contains("no level"));
    }

    @Test
    void deletingAFileFromTheWrongLevelIsCorruption() throws CorruptionException {
        LevelState state = base();
        assertThatThrownBy(() -> state.apply(new VersionEdit().deleteFile(2, 20)))
                .isInstanceOfSatisfying(CorruptionException.class,
                        e -> assertThat(e.reason()).contains("level 1 does"));
    }

    @Test
    void addingALiveFileAgainIsCorruptionEvenAtAnotherLevel() throws CorruptionException {
        LevelState state = base();
        assertThatThrownBy(() -> state.apply(new VersionEdit().addFile(3, file(10, "x", "y"))))
                .isInstanceOfSatisfying(CorruptionException.class,
                        e -> assertThat(e.reason()).contains("adds file 10").contains("already live at level 0"));
    }

    @Test
    void overlappingFilesAtLevelOneAreCorruptionButAtLevelZeroAreFine() throws CorruptionException {
        LevelState state = base();
        assertThatThrownBy(() -> state.apply(new VersionEdit().addFile(1, file(30, "b", "d"))))
                .isInstanceOfSatisfying(CorruptionException.class,
                        e -> assertThat(e.reason()).contains("overlap at level 1"));
        assertThatThrownBy(() -> state.apply(new VersionEdit().addFile(1, file(30, "d", "n"))))
                .as("touching the next file's smallest key").isInstanceOf(CorruptionException.class);
        assertThat(state.apply(new VersionEdit().addFile(0, file(30, "b", "d"))).fileCount(0)).isEqualTo(3);
        assertThat(state.apply(new VersionEdit().addFile(1, file(30, "d", "l"))).files(1))
                .extracting(FileMetadata::number).containsExactly(20L, 30L, 21L);
    }

    @Test
    void sameUserKeyWithOlderSequenceMayStartTheNextFile() throws CorruptionException {
        LevelState state = LevelState.empty(BYTEWISE).apply(new EditScenarios(0).first().setNextFileNumber(100)
                .addFile(1, new FileMetadata(5, 1, key("a", 9), key("k", 9)))
                .addFile(1, new FileMetadata(6, 1, key("k", 8), key("q", 9))));
        assertThat(state.files(1)).extracting(FileMetadata::number).containsExactly(5L, 6L);
    }

    @Test
    void aTrivialMoveDeletesAndAddsTheSameNumberInOneEdit() throws CorruptionException {
        LevelState moved = base().apply(new VersionEdit().deleteFile(1, 21).addFile(2, file(21, "m", "p")));
        assertThat(moved.levelOf(21)).hasValue(2);
        assertThat(moved.fileCount(1)).isEqualTo(1);
    }

    @Test
    void fileNumbersMustStayBelowTheNextFileNumber() throws CorruptionException {
        LevelState state = base();
        assertThatThrownBy(() -> state.apply(new VersionEdit().addFile(2, file(100, "x", "y"))))
                .isInstanceOfSatisfying(CorruptionException.class,
                        e -> assertThat(e.reason()).contains("file 100 is not below the next file number 100"));
        assertThatThrownBy(() -> state.apply(new VersionEdit().setNextFileNumber(21)))
                .isInstanceOf(CorruptionException.class);
        assertThat(state.apply(new VersionEdit().addFile(2, file(100, "x", "y")).setNextFileNumber(101))
                .nextFileNumber()).isEqualTo(101);
    }

    @Test
    void filesBeforeTheFirstNextFileNumberAreCheckedWhenItArrives() throws CorruptionException {
        LevelState snapshot = LevelState.empty(BYTEWISE).apply(new VersionEdit().addFile(3, file(50, "a", "b")));
        assertThatThrownBy(() -> snapshot.apply(new VersionEdit().setNextFileNumber(50)))
                .isInstanceOf(CorruptionException.class);
        assertThat(snapshot.apply(new VersionEdit().setNextFileNumber(51)).missingFields())
                .containsExactly("log number", "last sequence");
    }

    @Test
    void logNumberMayNotGoBackwards() throws CorruptionException {
        LevelState state = base().apply(new VersionEdit().setLogNumber(40));
        assertThatThrownBy(() -> state.apply(new VersionEdit().setLogNumber(39)))
                .isInstanceOfSatisfying(CorruptionException.class,
                        e -> assertThat(e.reason()).contains("log number goes backwards from 40 to 39"));
        assertThat(state.apply(new VersionEdit().setLogNumber(40)).logNumber()).isEqualTo(40);
    }

    @Test
    void anotherComparatorsNameIsRefused() {
        assertThatThrownBy(() -> LevelState.empty(BYTEWISE).apply(new VersionEdit().setComparatorName("other")))
                .isInstanceOfSatisfying(CorruptionException.class,
                        e -> assertThat(e.reason()).contains("'other'").contains("leveldb.BytewiseComparator"));
    }

    @Test
    void aFileWhoseSmallestKeySortsAfterItsLargestIsCorruption() {
        assertThatThrownBy(() -> LevelState.empty(BYTEWISE).apply(new VersionEdit().addFile(0, file(3, "z", "a"))))
                .isInstanceOf(CorruptionException.class);
    }

    @Test
    void aRejectedEditLeavesTheStateAsItWas() throws CorruptionException {
        LevelState state = base();
        String before = state.toString();
        // The deletion is valid, the overlapping addition is not: nothing of the edit may stick.
        assertThatThrownBy(() -> state.apply(new VersionEdit().deleteFile(0, 10).setLogNumber(90)
                .addFile(1, file(31, "b", "d")))).isInstanceOf(CorruptionException.class);
        assertThat(state.toString()).isEqualTo(before);
        assertThat(state.levelOf(10)).hasValue(0);
    }

    @Test
    void theSnapshotEditRebuildsTheWholeState() throws Exception {
        List<VersionEdit> edits = new EditScenarios(7).sequence(60);
        LevelState state = EditScenarios.fold(edits);
        assertThat(LevelState.empty(BYTEWISE).apply(state.toSnapshotEdit())).isEqualTo(state);
    }

    @Test
    void describeFilesUsesLevelDbsSstablesText() throws CorruptionException {
        String text = base().describeFiles();
        assertThat(text).startsWith("--- level 0 ---\n 11:1011['a' @ 110 : 1 .. 'z' @ 111 : 1]\n"
                + " 10:1010['c' @ 100 : 1 .. 'f' @ 101 : 1]\n--- level 1 ---\n");
        assertThat(text).endsWith("--- level 6 ---\n");
    }
}
