package org.lsmtree.testing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.lsmtree.format.storage.Storage;
import org.lsmtree.format.storage.WritableFile;

/**
 * Crash after every operation of a small workload, in every mode, and check what recovery would
 * see: the way the engine's crash tests use {@link CrashSimulatingStorage}.
 */
class CrashPointEnumerationTest {

    /** LevelDB's CURRENT replacement: write a temp file, sync it, rename it, sync the directory. */
    private static void replaceCurrent(Storage storage, Path dir, String manifest)
            throws IOException {
        Path temp = dir.resolve("000009.dbtmp");
        try (WritableFile out = storage.create(temp)) {
            out.append((manifest + "\n").getBytes(UTF_8));
            out.sync();
        }
        storage.rename(temp, dir.resolve("CURRENT"));
        storage.syncDirectory(dir);
    }

    private static CrashSimulatingStorage storeWithCurrent() throws IOException {
        CrashSimulatingStorage storage = CrashSimulatingStorage.create();
        Path dir = storage.path("/db");
        storage.createDirectories(dir);
        replaceCurrent(storage, dir, "MANIFEST-000001");
        return storage;
    }

    @Test
    void currentIsAlwaysTheOldOrTheNewManifestAtEveryCrashPoint() throws IOException {
        CrashSimulatingStorage reference = storeWithCurrent();
        long start = reference.operationCount();
        replaceCurrent(reference, reference.path("/db"), "MANIFEST-000002");
        long end = reference.operationCount();

        int newSeen = 0;
        for (long k = start; k <= end; k++) {
            CrashSimulatingStorage storage = storeWithCurrent();
            storage.crashAfter(k);
            if (k < end) {
                assertThatThrownBy(
                        () -> replaceCurrent(storage, storage.path("/db"), "MANIFEST-000002"))
                        .as("crash after operation %s of %s", k, storage.operationLog())
                        .isInstanceOf(SimulatedCrashException.class);
            } else {
                replaceCurrent(storage, storage.path("/db"), "MANIFEST-000002");
            }
            for (CrashMode mode : CrashMode.values()) {
                for (long seed = 0; seed < 8; seed++) {
                    CrashSimulatingStorage after = storage.afterCrash(mode, seed);
                    String current = new String(
                            Corruptor.of(after, after.path("/db/CURRENT")).content(), UTF_8);
                    assertThat(current)
                            .as("CURRENT after crash at %s in %s, seed %s", k, mode, seed)
                            .isIn("MANIFEST-000001\n", "MANIFEST-000002\n");
                    newSeen += current.equals("MANIFEST-000002\n") ? 1 : 0;
                    if (k == end) {
                        assertThat(current).isEqualTo("MANIFEST-000002\n");
                    }
                }
            }
        }
        assertThat(newSeen).isGreaterThan(0);
    }

    @Test
    void skippingTheDirectorySyncLosesTheNewCurrentInDropUnsynced() throws IOException {
        CrashSimulatingStorage storage = storeWithCurrent();
        Path dir = storage.path("/db");
        try (WritableFile out = storage.create(dir.resolve("000009.dbtmp"))) {
            out.append("MANIFEST-000002\n".getBytes(UTF_8));
            out.sync();
        }
        storage.rename(dir.resolve("000009.dbtmp"), dir.resolve("CURRENT"));

        CrashSimulatingStorage after = storage.afterCrash(CrashMode.DROP_UNSYNCED, 0);

        assertThat(Corruptor.of(after, after.path("/db/CURRENT")).content())
                .asString(UTF_8).isEqualTo("MANIFEST-000001\n");
    }

    @Test
    void skippingTheFileSyncCanLeaveATornCurrent() throws IOException {
        CrashSimulatingStorage storage = storeWithCurrent();
        Path dir = storage.path("/db");
        try (WritableFile out = storage.create(dir.resolve("000009.dbtmp"))) {
            out.append("MANIFEST-000002\n".getBytes(UTF_8));
        }
        storage.rename(dir.resolve("000009.dbtmp"), dir.resolve("CURRENT"));
        storage.syncDirectory(dir);

        CrashSimulatingStorage after = storage.afterCrash(CrashMode.DROP_UNSYNCED, 0);

        assertThat(Corruptor.of(after, after.path("/db/CURRENT")).content()).isEmpty();
    }
}
