package org.lsmtree.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lsmtree.manifest.EditScenarios.BYTEWISE;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lsmtree.format.FileNames;
import org.lsmtree.format.VerificationReport;
import org.lsmtree.format.VerificationReport.Problem;
import org.lsmtree.format.storage.WritableFile;
import org.lsmtree.testing.Corruptor;

class ManifestVerifierTest {
    private final ManifestFiles files;
    private final List<VersionEdit> edits = new EditScenarios(21).sequence(40);

    ManifestVerifierTest() throws IOException {
        files = new ManifestFiles();
    }

    private void touch(String name) throws IOException {
        try (WritableFile out = files.storage.create(files.path(name))) {
            out.append(new byte[] {1});
        }
    }

    /** A store whose directory holds exactly what its MANIFEST references. */
    private LevelState cleanStore() throws Exception {
        files.writeRaw("MANIFEST-000001", edits);
        CurrentFile.write(files.storage, files.directory, 1);
        LevelState state = EditScenarios.fold(edits);
        for (long number : state.liveFiles().keySet()) {
            touch(FileNames.tableFileName(number));
        }
        touch(FileNames.logFileName(state.logNumber()));
        return state;
    }

    @Test
    void aCleanManifestReportsNoProblemAndSummarizesTheState() throws Exception {
        LevelState state = cleanStore();
        VerificationReport report = new ManifestVerifier().verify(files.storage, files.path("MANIFEST-000001"));
        assertThat(report.problems()).isEmpty();
        assertThat(report.count("edits")).isEqualTo(edits.size());
        assertThat(report.count("last sequence")).isEqualTo(state.lastSequence());
        assertThat(report.count("next file number")).isEqualTo(state.nextFileNumber());
        for (int level = 0; level < ManifestFormat.NUM_LEVELS; level++) {
            assertThat(report.count("files at level " + level)).isEqualTo(state.fileCount(level));
            assertThat(report.count("bytes at level " + level)).isEqualTo(state.bytes(level));
        }
        ManifestVerifier.Outcome store = new ManifestVerifier().verifyStore(files.storage, files.directory);
        assertThat(store.report().problems()).isEmpty();
        assertThat(store.state()).isEqualTo(state);
        assertThat(store.state().comparatorName()).hasValue("leveldb.BytewiseComparator");
    }

    @Test
    void missingTablesAndOrphansAreEachReported() throws Exception {
        LevelState state = cleanStore();
        long live = state.liveFiles().keySet().iterator().next();
        files.storage.delete(files.path(FileNames.tableFileName(live)));
        touch(FileNames.tableFileName(state.nextFileNumber() + 5));
        touch(FileNames.logFileName(state.logNumber() - 1 == state.previousLogNumber() ? 0 : state.logNumber() - 1));
        touch("MANIFEST-000000");
        touch("000077.dbtmp");
        touch("LOG");

        VerificationReport report = new ManifestVerifier().verifyStore(files.storage, files.directory).report();

        assertThat(report.problems()).extracting(Problem::kind).containsExactlyInAnyOrder("ORPHAN_LOG",
                "ORPHAN_MANIFEST", "ORPHAN_TABLE", "ORPHAN_TEMP", "MISSING_TABLE");
        assertThat(report.problems()).filteredOn(p -> p.kind().equals("MISSING_TABLE")).extracting(Problem::message)
                .singleElement().asString().contains(FileNames.tableFileName(live));
    }

    @Test
    void everyDamagedEditIsReportedAndTheOthersStillCount() throws Exception {
        List<VersionEdit> bad = new ArrayList<>(edits);
        bad.add(5, new VersionEdit().deleteFile(3, 999_999));
        bad.add(20, new VersionEdit().addFile(0, EditScenarios.file(1, "a", "b")).setNextFileNumber(1));
        List<Long> offsets = files.writeRaw("MANIFEST-000001", bad);
        Corruptor.of(files.storage, files.path("MANIFEST-000001")).flipBit(offsets.get(30) + 9, 0);

        VerificationReport report = new ManifestVerifier().verify(files.storage, files.path("MANIFEST-000001"));

        assertThat(report.problems()).extracting(Problem::offset).startsWith(offsets.get(5), offsets.get(20),
                offsets.get(30));
        assertThat(report.problems()).extracting(Problem::kind).startsWith("INVARIANT", "INVARIANT", "BAD_CHECKSUM");
        assertThat(report.count("bad edits")).isEqualTo(2);
        assertThat(report.count("edits")).isGreaterThanOrEqualTo(28);
    }

    @Test
    void aMissingOrMalformedCurrentIsAProblemNotAnException() throws Exception {
        assertThat(new ManifestVerifier().verifyStore(files.storage, files.directory).report().problems())
                .extracting(Problem::kind).containsExactly("CURRENT");
        CurrentFile.write(files.storage, files.directory, 9);
        assertThat(new ManifestVerifier().verifyStore(files.storage, files.directory).report().problems())
                .extracting(Problem::kind).containsExactly("MISSING_MANIFEST");
        // A single file that cannot be read at all is the environment's failure (the Verifier contract).
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> new ManifestVerifier().verify(files.storage, files.directory.resolve("nothing")))
                .isInstanceOf(java.nio.file.NoSuchFileException.class);
    }
}
