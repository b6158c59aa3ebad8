package org.lsmtree.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lsmtree.manifest.EditScenarios.BYTEWISE;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lsmtree.format.CorruptionException;
import org.lsmtree.manifest.ManifestReader.TailPolicy;
import org.lsmtree.testing.CrashMode;
import org.lsmtree.testing.CrashSimulatingStorage;
import org.lsmtree.testing.SimulatedCrashException;

/**
 * A switch to a new MANIFEST (write it with its snapshot, then replace CURRENT) crashed after
 * every storage operation, in every crash mode and several seeds: CURRENT always names a whole
 * MANIFEST, which replays to the old state or the new one.
 */
class CurrentSwitchCrashTest {
    private static final int SEEDS = 6;

    private final List<VersionEdit> edits = new EditScenarios(5).sequence(12);

    private LevelState oldState() throws Exception {
        return EditScenarios.fold(edits.subList(0, 8));
    }

    /** The new MANIFEST's state: more edits, and the MANIFEST's own number handed out. */
    private LevelState newState() throws Exception {
        LevelState state = EditScenarios.fold(edits);
        return state.apply(new VersionEdit().setNextFileNumber(state.nextFileNumber() + 1));
    }

    private CrashSimulatingStorage storeOnOldManifest() throws Exception {
        CrashSimulatingStorage storage = CrashSimulatingStorage.create();
        Path dir = storage.path("/db");
        storage.createDirectories(dir);
        try (ManifestWriter writer = ManifestWriter.create(storage, dir, 1, oldState())) {
            writer.sync();
        }
        CurrentFile.write(storage, dir, 1);
        return storage;
    }

    private void switchManifest(CrashSimulatingStorage storage) throws Exception {
        Path dir = storage.path("/db");
        long number = newState().nextFileNumber() - 1;
        try (ManifestWriter writer = ManifestWriter.create(storage, dir, number, newState())) {
            writer.sync();
        }
        CurrentFile.write(storage, dir, number);
    }

    @Test
    void currentNamesAWholeManifestAfterACrashAtEveryStepOfTheSwitch() throws Exception {
        CrashSimulatingStorage reference = storeOnOldManifest();
        long start = reference.operationCount();
        switchManifest(reference);
        long end = reference.operationCount();
        assertThat(end - start).as("create, append, sync, close, create temp, ..., rename, sync dir")
                .isGreaterThanOrEqualTo(4);

        int sawOld = 0;
        int sawNew = 0;
        for (long k = start; k <= end; k++) {
            CrashSimulatingStorage storage = storeOnOldManifest();
            storage.crashAfter(k);
            if (k < end) {
                assertThatThrownBy(() -> switchManifest(storage)).as("crash after %s: %s", k, storage.operationLog())
                        .isInstanceOf(SimulatedCrashException.class);
            } else {
                switchManifest(storage);
            }
            for (CrashMode mode : CrashMode.values()) {
                for (long seed = 0; seed < SEEDS; seed++) {
                    CrashSimulatingStorage after = storage.afterCrash(mode, seed);
                    String where = "crash after op " + k + " in " + mode + " seed " + seed;
                    Path manifest = CurrentFile.manifest(after, after.path("/db"));
                    LevelState state = ManifestReader.replay(after, manifest, BYTEWISE, TailPolicy.STRICT).state();
                    if (manifest.getFileName().toString().equals("MANIFEST-000001")) {
                        assertThat(state).as(where).isEqualTo(withComparator(oldState()));
                        sawOld++;
                    } else {
                        assertThat(state).as(where).isEqualTo(withComparator(newState()));
                        sawNew++;
                    }
                    if (k == end) {
                        assertThat(manifest.getFileName().toString()).as(where).isNotEqualTo("MANIFEST-000001");
                    }
                }
            }
        }
        assertThat(sawOld).isPositive();
        assertThat(sawNew).isGreaterThanOrEqualTo(CrashMode.values().length * SEEDS);
    }

    @Test
    void withoutTheDirectorySyncTheSwitchCanBeLost() throws Exception {
        CrashSimulatingStorage storage = storeOnOldManifest();
        long number = newState().nextFileNumber() - 1;
        try (ManifestWriter writer = ManifestWriter.create(storage, storage.path("/db"), number, newState())) {
            writer.sync();
        }
        // CurrentFile.write minus its final directory sync.
        storage.crashAfter(storage.operationCount() + 4);
        assertThatThrownBy(() -> CurrentFile.write(storage, storage.path("/db"), number))
                .isInstanceOf(SimulatedCrashException.class);
        CrashSimulatingStorage after = storage.afterCrash(CrashMode.DROP_UNSYNCED, 0);
        assertThat(CurrentFile.read(after, after.path("/db"))).isEqualTo("MANIFEST-000001");
        assertThat(storage.operationLog().get(storage.operationLog().size() - 1)).contains("RENAME");
    }

    private static LevelState withComparator(LevelState state) throws CorruptionException {
        return LevelState.empty(BYTEWISE).apply(state.toSnapshotEdit());
    }
}
