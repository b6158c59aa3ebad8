package org.lsmtree.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import org.lsmtree.engine.Db;
import org.lsmtree.format.CorruptionException;
import org.lsmtree.format.FileNames;
import org.lsmtree.format.FileType;
import org.lsmtree.format.key.BytewiseComparator;
import org.lsmtree.format.key.InternalKeyComparator;
import org.lsmtree.format.storage.NioStorage;
import org.lsmtree.format.storage.Storage;
import org.lsmtree.manifest.CurrentFile;
import org.lsmtree.manifest.LevelState;
import org.lsmtree.manifest.ManifestReader;

/** Opens the store of a one-shot command or the shell, with the CLI's defaults. Stateless. */
final class StoreAccess {
    private StoreAccess() {}

    private static final String WAL_HINT =
            " (to open the store without the damaged records: --wal-recovery point_in_time or skip_any_corrupted)";

    /**
     * Opens the store in {@code directory}; creates it only when {@code create} (the shell and
     * {@code put}); reading commands on a directory with no store fail instead of making one.
     */
    static Db open(Path directory, boolean create) throws IOException {
        return open(directory, create, new StoreOptions());
    }

    /** As {@link #open(Path, boolean)}, with the command's store options. */
    static Db open(Path directory, boolean create, StoreOptions storeOptions) throws IOException {
        if (Files.exists(directory) && !Files.isDirectory(directory)) {
            throw new CliException(ExitCodes.USAGE, directory + ": not a directory");
        }
        ForeignFormats.checkDirectory(directory);
        InputFile.requireRegularStoreFiles(directory);
        if (!Files.exists(directory.resolve("CURRENT"))) {
            if (!create) {
                throw new CliException(ExitCodes.USAGE, directory + ": no store here (no CURRENT file)");
            }
            if (!isEmptyOrMissing(directory)) {
                throw new CliException(ExitCodes.USAGE, directory + ": holds files but no store (no CURRENT file);"
                        + " not creating a store among them");
            }
        }
        StoreComparator.requireBytewise(directory);
        try {
            return Db.open(directory, storeOptions.engineOptions().withCreateIfMissing(create));
        } catch (CorruptionException e) {
            throw explain(directory, e);
        }
    }

    /**
     * Checks a store directory that a command reads or rebuilds without the engine: it exists, is
     * a directory, is not RocksDB's, and holds nothing but regular files under LevelDB names.
     */
    static void requireStoreDirectory(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            throw new java.nio.file.NoSuchFileException(directory.toString());
        }
        if (!Files.isDirectory(directory)) {
            throw new CliException(ExitCodes.USAGE, directory + ": not a directory; a store is a directory");
        }
        ForeignFormats.checkDirectory(directory);
        InputFile.requireRegularStoreFiles(directory);
    }

    /** Whether opening {@code directory} with {@code create} would make a new store there. */
    static boolean wouldCreate(Path directory) {
        return !Files.exists(directory.resolve("CURRENT"));
    }

    private static boolean isEmptyOrMissing(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return true;
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.findAny().isEmpty();
        }
    }

    /**
     * {@code e} with the reason a table cannot be read added, when the MANIFEST knows it: the table
     * named by {@code e} is of another size than the MANIFEST records (swapped, truncated, grown).
     * Anything that stops that check leaves {@code e} as it was.
     */
    static CorruptionException explain(Path directory, CorruptionException e) {
        if (e.file() == null) {
            return e;
        }
        Path file = Path.of(e.file());
        if (FileNames.parse(file).map(p -> p.type() == FileType.MANIFEST).orElse(false)) {
            ForeignFormats.checkManifestTag(file, e);
            return e;
        }
        if (FileNames.parse(file).map(p -> p.type() == FileType.LOG).orElse(false) && !e.reason().endsWith(WAL_HINT)) {
            return new CorruptionException(e.file(), e.offset(), e.reason() + WAL_HINT, e);
        }
        Optional<FileNames.Parsed> parsed = FileNames.parse(file);
        if (parsed.isEmpty() || (parsed.get().type() != FileType.TABLE && parsed.get().type() != FileType.LEGACY_TABLE)) {
            return e;
        }
        try {
            ForeignFormats.checkTable(directory.resolve(file.getFileName()));
            Storage storage = NioStorage.onDefaultFileSystem();
            String manifest = CurrentFile.read(storage, directory);
            LevelState state = ManifestReader.replay(storage, directory.resolve(manifest),
                    new InternalKeyComparator(BytewiseComparator.INSTANCE), ManifestReader.TailPolicy.TOLERATE_TORN_TAIL)
                    .state();
            Optional<Integer> level = state.levelOf(parsed.get().number());
            if (level.isEmpty()) {
                return e;
            }
            long recorded = state.files(level.get()).stream().filter(f -> f.number() == parsed.get().number())
                    .findFirst().orElseThrow().size();
            long size = storage.size(directory.resolve(file.getFileName()));
            if (size == recorded || e.reason().contains(" bytes, " + manifest + " says ")) {
                return e;
            }
            return new CorruptionException(e.file(), e.offset(), e.reason() + "; the file is " + size + " bytes, "
                    + manifest + " says " + recorded, e);
        } catch (CliException foreign) {
            throw foreign;
        } catch (IOException | RuntimeException unexplained) {
            return e;
        }
    }

    /**
     * Opens the store in {@code directory} for reading only ({@code get}, {@code scan}): nothing on
     * disk changes, so these commands can look into a LevelDB store found as it is.
     */
    static Db openReadOnly(Path directory) throws IOException {
        return openReadOnly(directory, new StoreOptions());
    }

    /** As {@link #openReadOnly(Path)}, with the command's store options. */
    static Db openReadOnly(Path directory, StoreOptions storeOptions) throws IOException {
        ForeignFormats.checkDirectory(directory);
        InputFile.requireRegularStoreFiles(directory);
        if (!Files.exists(directory.resolve("CURRENT"))) {
            throw new CliException(ExitCodes.USAGE, directory + ": no store here (no CURRENT file)");
        }
        StoreComparator.requireBytewise(directory);
        try {
            return Db.openReadOnly(directory, storeOptions.engineOptions());
        } catch (CorruptionException e) {
            throw explain(directory, e);
        }
    }
}
