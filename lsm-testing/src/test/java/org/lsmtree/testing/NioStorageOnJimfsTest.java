package org.lsmtree.testing;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Path;
import org.lsmtree.format.storage.NioStorage;
import org.lsmtree.format.storage.Storage;

/** The Storage contract for {@link NioStorage} on jimfs. */
class NioStorageOnJimfsTest extends StorageContractTest {

    private FileSystem fileSystem;

    @Override
    Storage newStorage() {
        fileSystem = Jimfs.newFileSystem(Configuration.unix());
        return NioStorage.of(fileSystem);
    }

    @Override
    Path newDirectory(Storage storage) throws IOException {
        Path dir = fileSystem.getPath("/db");
        storage.createDirectories(dir);
        return dir;
    }

    @Override
    void closeStorage() throws IOException {
        fileSystem.close();
    }
}
