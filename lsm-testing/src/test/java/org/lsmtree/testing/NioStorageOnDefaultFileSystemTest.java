package org.lsmtree.testing;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.lsmtree.format.storage.NioStorage;
import org.lsmtree.format.storage.Storage;

/** The Storage contract for {@link NioStorage} on the default file system. */
class NioStorageOnDefaultFileSystemTest extends StorageContractTest {

    @TempDir Path tempDir;

    @Override
    Storage newStorage() {
        return NioStorage.onDefaultFileSystem();
    }

    @Override
    Path newDirectory(Storage storage) {
        return tempDir;
    }
}
