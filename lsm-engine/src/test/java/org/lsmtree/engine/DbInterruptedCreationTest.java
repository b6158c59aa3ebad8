package org.lsmtree.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.lsmtree.format.storage.WritableFile;
import org.lsmtree.testing.CrashMode;
import org.lsmtree.testing.CrashSimulatingStorage;
import org.lsmtree.testing.SimulatedCrashException;

/**
 * A crash while a store is being created, before {@code CURRENT} names its first MANIFEST, leaves
 * {@code MANIFEST-000001} (and maybe the temporary file of {@code CURRENT}) behind: the next open
 * creates the store again over them. Found by {@code DbCrashStatesTest} (crash after operation 3,
 * {@code CREATE /db/MANIFEST-000001}).
 */
class DbInterruptedCreationTest {

    @Test
    void aCreationCrashedAtAnyPointBeforeCurrentIsCreatedAgain() throws IOException {
        CrashSimulatingStorage reference = CrashSimulatingStorage.create();
        Db.open(reference.path("/db"), Options.defaults().withStorage(reference)).close();
        long currentRenamed = reference.operationLog().stream()
                .filter(op -> op.contains(" RENAME ") && op.endsWith("/CURRENT")).findFirst()
                .map(op -> Long.parseLong(op.substring(1, op.indexOf(' ')))).orElseThrow();

        int leftovers = 0;
        for (long k = 1; k < currentRenamed; k++) {
            CrashSimulatingStorage storage = CrashSimulatingStorage.create();
            storage.crashAfter(k);
            assertThatThrownBy(() -> Db.open(storage.path("/db"), Options.defaults().withStorage(storage)))
                    .as("open crashed after operation %s", k).matches(DbInterruptedCreationTest::isCrash);
            CrashSimulatingStorage after = storage.afterCrash(CrashMode.PROCESS_CRASH, 0);
            Path dir = after.path("/db");
            leftovers += after.exists(dir.resolve("MANIFEST-000001")) ? 1 : 0;

            try (Db db = Db.open(dir, Options.defaults().withStorage(after))) {
                db.put(DbOpenAndWriteTest.b("k"), DbOpenAndWriteTest.b("v"));
            }
            try (Db db = Db.open(dir, Options.defaults().withStorage(after).withCreateIfMissing(false))) {
                assertThat(DbOpenAndWriteTest.s(db.get(DbOpenAndWriteTest.b("k")))).as("crash after %s", k).isEqualTo("v");
            }
        }
        assertThat(leftovers).as("crash points that left MANIFEST-000001 without CURRENT").isPositive();
    }

    private static boolean isCrash(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SimulatedCrashException
                    || java.util.Arrays.stream(t.getSuppressed()).anyMatch(DbInterruptedCreationTest::isCrash)) {
                return true;
            }
        }
        return false;
    }

    @Test
    void otherFilesWithoutCurrentAreStillRefused() throws IOException {
        CrashSimulatingStorage storage = CrashSimulatingStorage.create();
        Path dir = storage.path("/db");
        storage.createDirectories(dir);
        for (String name : new String[] {"MANIFEST-000001", "000003.log"}) {
            try (WritableFile out = storage.create(dir.resolve(name))) {
                out.append(new byte[] {1, 2, 3});
            }
        }

        assertThatThrownBy(() -> Db.open(dir, Options.defaults().withStorage(storage)))
                .hasMessageContaining("000003.log").hasMessageContaining("no CURRENT");
        assertThat(storage.exists(dir.resolve("CURRENT"))).isFalse();
    }
}
