package org.lsmtree.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lsmtree.manifest.EditScenarios.BYTEWISE;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lsmtree.format.CorruptionException;
import org.lsmtree.manifest.ManifestReader.Replay;
import org.lsmtree.manifest.ManifestReader.TailPolicy;
import org.lsmtree.testing.SeededCases;
import org.lsmtree.testing.SeededRandom;

class ManifestRoundTripTest {

    @Test
    void randomEditSequencesReplayToTheStateTheyFoldTo() {
        SeededCases.check(60, ManifestRoundTripTest::replaysToTheStateItFoldsTo);
    }

    private static void replaysToTheStateItFoldsTo(SeededRandom random) throws Exception {
        List<VersionEdit> edits = new EditScenarios(random).sequence(random.intBetween(0, 200));
        LevelState expected = EditScenarios.fold(edits);
        ManifestFiles files = new ManifestFiles();

        LevelState written;
        try (ManifestWriter writer = ManifestWriter.create(files.storage, files.directory, 1,
                LevelState.empty(BYTEWISE).apply(edits.get(0)))) {
            for (VersionEdit edit : edits.subList(1, edits.size())) {
                writer.append(edit);
                if (edit.hashCode() % 3 == 0) {
                    writer.sync();
                }
            }
            writer.sync();
            written = writer.state();
        }
        Replay replay = ManifestReader.replay(files.storage, files.path("MANIFEST-000001"), BYTEWISE,
                TailPolicy.STRICT);

        assertThat(replay.state()).isEqualTo(expected).isEqualTo(written);
        assertThat(replay.edits()).isEqualTo(edits.size());
        assertThat(replay.droppedTail()).isEmpty();
        assertThat(replay.validLength()).isEqualTo(files.storage.size(files.path("MANIFEST-000001")));
    }

    @Test
    void aNewManifestFromTheSnapshotReplaysToTheSameState() {
        SeededCases.check(30, ManifestRoundTripTest::snapshotReplaysToTheSameState);
    }

    private static void snapshotReplaysToTheSameState(SeededRandom random) throws Exception {
        LevelState replayed = EditScenarios.fold(new EditScenarios(random).sequence(80));
        long manifestNumber = replayed.nextFileNumber(); // handed out as LevelDB does
        LevelState state = replayed.apply(new VersionEdit().setNextFileNumber(manifestNumber + 1));
        ManifestFiles files = new ManifestFiles();
        try (ManifestWriter writer = ManifestWriter.create(files.storage, files.directory, manifestNumber, state)) {
            assertThat(writer.state()).isEqualTo(state);
        }
        assertThat(ManifestReader.replay(files.storage, files.directory.resolve(
                org.lsmtree.format.FileNames.manifestFileName(manifestNumber)), BYTEWISE, TailPolicy.STRICT)
                .state()).isEqualTo(state);
    }

    @Test
    void theReaderReturnsEachEditWithTheOffsetOfItsRecord() throws IOException {
        List<VersionEdit> edits = new EditScenarios(3).sequence(5);
        ManifestFiles files = new ManifestFiles();
        List<Long> offsets = files.writeRaw("MANIFEST-000004", edits);
        try (ManifestReader reader = ManifestReader.open(files.storage, files.path("MANIFEST-000004"),
                TailPolicy.STRICT)) {
            for (int i = 0; i < edits.size(); i++) {
                assertThat(reader.next()).isEqualTo(edits.get(i));
                assertThat(reader.lastEditOffset()).isEqualTo(offsets.get(i));
                assertThat(reader.validLength()).isEqualTo(offsets.get(i + 1));
            }
            assertThat(reader.next()).isNull();
        }
    }

    @Test
    void theWriterRefusesAnEditThatBreaksTheStateAndWritesNothing() throws Exception {
        ManifestFiles files = new ManifestFiles();
        try (ManifestWriter writer = ManifestWriter.create(files.storage, files.directory, 1,
                LevelState.empty(BYTEWISE).apply(new EditScenarios(0).first()))) {
            long size = writer.size();
            assertThatThrownBy(() -> writer.append(new VersionEdit().deleteFile(1, 5)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("deletes file 5");
            assertThat(writer.size()).isEqualTo(size);
        }
    }

    @Test
    void aManifestThatNeverSetsTheRequiredFieldsIsCorruption() throws IOException {
        ManifestFiles files = new ManifestFiles();
        files.writeRaw("MANIFEST-000002", List.of(new VersionEdit().setLogNumber(3)));
        assertThatThrownBy(() -> ManifestReader.replay(files.storage, files.path("MANIFEST-000002"), BYTEWISE,
                TailPolicy.TOLERATE_TORN_TAIL)).isInstanceOfSatisfying(CorruptionException.class, e -> {
                    assertThat(e.file()).endsWith("MANIFEST-000002");
                    assertThat(e.reason()).contains("next file number, last sequence");
                });
    }
}
