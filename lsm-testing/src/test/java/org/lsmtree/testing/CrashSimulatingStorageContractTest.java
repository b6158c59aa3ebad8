package org.lsmtree.testing;

import java.io.IOException;
import java.nio.file.Path;
import org.lsmtree.format.storage.Storage;

/** The Storage contract for {@link CrashSimulatingStorage} before any crash. */
class CrashSimulatingStorageContractTest extends StorageContractTest {

    private CrashSimulatingStorage crashing;

    @Override
    Storage newStorage() {
        crashing = CrashSimulatingStorage.create();
        return crashing;
    }

    @Override
    Path newDirectory(Storage storage) throws IOException {
        Path dir = crashing.path("/db");
        storage.createDirectories(dir);
        return dir;
    }

    @Override
    void closeStorage() throws IOException {
        crashing.close();
    }
}
