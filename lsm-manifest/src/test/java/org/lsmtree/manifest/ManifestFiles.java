package org.lsmtree.manifest;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.lsmtree.format.log.LogWriter;
import org.lsmtree.format.storage.NioStorage;
import org.lsmtree.format.storage.Storage;

/** A store directory on an in-memory file system, with MANIFESTs written record by record. */
final class ManifestFiles {
    final FileSystem fileSystem = Jimfs.newFileSystem(Configuration.unix());
    final Storage storage = NioStorage.of(fileSystem);
    final Path directory = fileSystem.getPath("/db");

    ManifestFiles() throws IOException {
        storage.createDirectories(directory);
    }

    Path path(String name) {
        return directory.resolve(name);
    }

    /**
     * Writes {@code edits} to {@code name} as one record each, bypassing the writer's checks;
     * returns the offset of each record followed by the file's length.
     */
    List<Long> writeRaw(String name, List<VersionEdit> edits) throws IOException {
        List<Long> offsets = new ArrayList<>();
        try (LogWriter log = new LogWriter(storage.create(path(name)))) {
            for (VersionEdit edit : edits) {
                offsets.add(log.position());
                log.addRecord(VersionEditCodec.INSTANCE.encode(edit));
            }
            offsets.add(log.position());
            log.sync();
        }
        return offsets;
    }
}
