package org.lsmtree.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lsmtree.manifest.EditScenarios.BYTEWISE;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lsmtree.format.storage.NioStorage;
import org.lsmtree.format.storage.Storage;
import org.lsmtree.manifest.ManifestReader.Replay;
import org.lsmtree.manifest.ManifestReader.TailPolicy;
import org.lsmtree.testing.NativeLevelDb;

/**
 * Interop with C++ LevelDB 1.23: a MANIFEST it writes after flushes and compactions replays to
 * the files per level its {@code leveldb.sstables} property lists, text for text; a MANIFEST and
 * CURRENT we write for an empty store open in it.
 */
@Tag(NativeLevelDb.TAG)
class NativeLevelDbGoldenTest {
    private final Storage storage = NioStorage.of(FileSystems.getDefault());

    @TempDir
    Path directory;

    private NativeLevelDb driver() throws Exception {
        return NativeLevelDb.compile(getClass(), "manifest_driver.c", Path.of("target", "native"));
    }

    @Test
    void levelDbsManifestReplaysToTheFilesItsSstablesPropertyLists() throws Exception {
        String sstables = driver().runOrFail("make", directory.toString());

        Replay replay = ManifestReader.replay(storage, CurrentFile.manifest(storage, directory), BYTEWISE,
                TailPolicy.STRICT);

        assertThat(replay.state().describeFiles()).isEqualTo(sstables);
        assertThat(replay.state().liveFiles()).hasSizeGreaterThan(1);
        assertThat(new ManifestVerifier().verifyStore(storage, directory).report().problems()).isEmpty();
    }

    @Test
    void aManifestWeWriteForAnEmptyStoreOpensInLevelDb() throws Exception {
        LevelState empty = LevelState.empty(BYTEWISE).apply(new VersionEdit().setLogNumber(0).setNextFileNumber(2)
                .setLastSequence(0));
        try (ManifestWriter writer = ManifestWriter.create(storage, directory, 1, empty)) {
            writer.sync();
        }
        CurrentFile.write(storage, directory, 1);

        assertThat(driver().runOrFail("open", directory.toString())).isEqualTo("ok\n");
        assertThat(driver().runOrFail("open", directory.toString())).isEqualTo("ok\n");

        Replay replay = ManifestReader.replay(storage, CurrentFile.manifest(storage, directory), BYTEWISE,
                TailPolicy.STRICT);
        assertThat(replay.state().nextFileNumber()).isGreaterThan(2);
        assertThat(replay.state().comparatorName()).hasValue("leveldb.BytewiseComparator");
    }
}
