package org.lsmtree.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.lsmtree.format.FileNames;
import org.lsmtree.format.key.BytewiseComparator;
import org.lsmtree.format.key.InternalKeyComparator;
import org.lsmtree.format.storage.NioStorage;
import org.lsmtree.format.storage.Storage;
import org.lsmtree.manifest.CurrentFile;
import org.lsmtree.manifest.LevelState;
import org.lsmtree.manifest.ManifestReader;

/**
 * A store's level state as its MANIFEST records it, read without opening the store (a torn last
 * edit dropped, as LevelDB does): what {@code stats}, {@code compact}, {@code approxsize} and
 * {@code property} look at. Stateless.
 */
final class StoreState {
    private StoreState() {}

    /** The live MANIFEST's name and the state it adds up to. */
    record Read(String manifest, ManifestReader.Replay replay) {
        LevelState state() {
            return replay.state();
        }
    }

    static Read read(Path directory) throws IOException {
        Storage storage = NioStorage.onDefaultFileSystem();
        String manifest = CurrentFile.read(storage, directory);
        try {
            return new Read(manifest, ManifestReader.replay(storage, directory.resolve(manifest),
                    new InternalKeyComparator(BytewiseComparator.INSTANCE), ManifestReader.TailPolicy.TOLERATE_TORN_TAIL));
        } catch (org.lsmtree.format.CorruptionException e) {
            ForeignFormats.checkManifestTag(directory.resolve(manifest), e);
            throw e;
        }
    }

    /** The table file of {@code number}: {@code NNNNNN.ldb}, or the older {@code NNNNNN.sst} when only that exists. */
    static Path tableFile(Path directory, long number) {
        Path table = FileNames.tableFile(directory, number);
        Path legacy = FileNames.legacyTableFile(directory, number);
        return !java.nio.file.Files.exists(table) && java.nio.file.Files.exists(legacy) ? legacy : table;
    }
}
