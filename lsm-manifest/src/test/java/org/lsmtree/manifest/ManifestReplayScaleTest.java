package org.lsmtree.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lsmtree.manifest.EditScenarios.BYTEWISE;
import static org.lsmtree.manifest.EditScenarios.file;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lsmtree.format.CorruptionException;
import org.lsmtree.format.log.LogFormat;

/**
 * Issue 11, point 11: replaying a MANIFEST copied the level lists and the file index once per
 * edit, so 10,000 single-file edits took 5 s and 50,000 a minute. Replay now folds every edit
 * into one {@link LevelStateBuilder} and builds the state once; these tests bound the work it does
 * (file entries copied), never its time.
 */
class ManifestReplayScaleTest {
    private static final int FILES = 100_000;
    private static final int MOVE_EVERY = 1_000;

    /**
     * The first edit, then one flush edit per file (a level-0 file of its own key range), and after
     * every 1,000 flushes a compaction edit that moves those 1,000 files to level 1 (where their
     * ranges must stay disjoint, so every move is checked against its neighbours).
     */
    private static List<VersionEdit> flushesAndMoves(int fileCount) {
        List<VersionEdit> edits = new ArrayList<>();
        edits.add(new EditScenarios(0).first().setNextFileNumber(10));
        List<FileMetadata> atLevelZero = new ArrayList<>();
        for (int i = 0; i < fileCount; i++) {
            long number = 10 + i;
            FileMetadata file = file(number, String.format("k%08d", i), String.format("k%08d~", i));
            atLevelZero.add(file);
            edits.add(new VersionEdit().addFile(0, file).setNextFileNumber(number + 1).setLastSequence(number * 10));
            if (atLevelZero.size() == MOVE_EVERY) {
                VersionEdit move = new VersionEdit().setLogNumber(number);
                for (FileMetadata moved : atLevelZero) {
                    move.deleteFile(0, moved.number()).addFile(1, moved);
                }
                edits.add(move);
                atLevelZero.clear();
            }
        }
        return edits;
    }

    @Test
    void replayOf100000EditsCopiesEachLiveFileAConstantNumberOfTimes() throws IOException {
        ManifestFiles files = new ManifestFiles();
        List<VersionEdit> edits = flushesAndMoves(FILES);
        files.writeRaw("MANIFEST-000002", edits);
        LevelStateBuilder builder = new LevelStateBuilder(LevelState.empty(BYTEWISE));

        ManifestReader.Replay replay = ManifestReader.replay(files.storage, files.path("MANIFEST-000002"), builder,
                ManifestReader.TailPolicy.STRICT, LogFormat.DEFAULT_MAX_RECORD_SIZE);

        assertThat(replay.edits()).isEqualTo(edits.size());
        assertThat(replay.state().fileCount(0)).isZero();
        assertThat(replay.state().fileCount(1)).isEqualTo(FILES);
        assertThat(replay.state().levelOf(10 + FILES - 1)).hasValue(1);
        assertThat(replay.state().nextFileNumber()).isEqualTo(10 + FILES);
        // One copy into the state's level lists and one into its file index. A copy per edit, as
        // before, would be about FILES^2 / 2 = 5 * 10^9.
        assertThat(builder.filesCopied()).isLessThanOrEqualTo(3L * FILES);
    }

    @Test
    void builderGivesTheSameStateAsApplyingEachEditToAnImmutableState() throws CorruptionException {
        for (long seed = 0; seed < 20; seed++) {
            List<VersionEdit> edits = new EditScenarios(seed).sequence(300);
            LevelStateBuilder builder = new LevelStateBuilder(LevelState.empty(BYTEWISE));
            LevelState folded = LevelState.empty(BYTEWISE);
            for (VersionEdit edit : edits) {
                builder.apply(edit);
                folded = folded.apply(edit);
            }
            assertThat(builder.build()).as("seed %s", seed).isEqualTo(folded);
            assertThat(builder.build().liveFiles()).as("seed %s", seed).isEqualTo(folded.liveFiles());
        }
    }

    @Test
    void rejectedEditIsUndoneAndTheBuilderGoesOn() throws CorruptionException {
        LevelStateBuilder builder = new LevelStateBuilder(LevelState.empty(BYTEWISE));
        builder.apply(new EditScenarios(0).first().setNextFileNumber(100)
                .addFile(0, file(10, "c", "f")).addFile(1, file(20, "a", "c")).addFile(1, file(21, "m", "p")));
        LevelState before = builder.build();

        // The deletion and the first addition are valid, the overlapping second addition is not.
        assertThatThrownBy(() -> builder.apply(new VersionEdit().deleteFile(0, 10).setLogNumber(90)
                .addFile(1, file(30, "d", "e")).addFile(1, file(31, "b", "d"))))
                .isInstanceOfSatisfying(CorruptionException.class,
                        e -> assertThat(e.reason()).contains("overlap at level 1"));

        assertThat(builder.build()).isEqualTo(before);
        assertThat(builder.build().liveFiles()).isEqualTo(before.liveFiles());
        assertThat(builder.apply(new VersionEdit().deleteFile(0, 10)).build().liveFiles())
                .containsOnlyKeys(20L, 21L);
    }

    @Test
    void invariantBrokenDeepInALongReplayIsReportedAtItsEdit() throws IOException {
        ManifestFiles files = new ManifestFiles();
        List<VersionEdit> edits = flushesAndMoves(5_000);
        edits.add(new VersionEdit().addFile(1, file(5, "k00000010", "k00000010~")));
        List<Long> offsets = files.writeRaw("MANIFEST-000002", edits);

        assertThatThrownBy(() -> ManifestReader.replay(files.storage, files.path("MANIFEST-000002"), BYTEWISE,
                ManifestReader.TailPolicy.STRICT))
                .isInstanceOfSatisfying(CorruptionException.class, e -> {
                    assertThat(e.offset()).isEqualTo(offsets.get(edits.size() - 1));
                    assertThat(e.file()).endsWith("MANIFEST-000002");
                    assertThat(e.reason()).contains("overlap at level 1");
                });
    }
}
