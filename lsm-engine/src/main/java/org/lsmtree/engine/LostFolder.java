package org.lsmtree.engine;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import org.lsmtree.format.storage.Storage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a store keeps the files that recovery could not prove obsolete: the subdirectory
 * {@value #NAME} of the store, as LevelDB's repair uses. When an open dropped anything (a torn or
 * damaged MANIFEST tail, bytes of a WAL), the store cannot be sure that a file it would delete
 * holds nothing acknowledged, so every such file that was there at open is moved here instead of
 * deleted. Nothing in {@code lost/} is read by the store; a person or {@code lsm} inspects it.
 *
 * <p>Immutable and thread-safe; moves run under the engine's write lock.
 */
final class LostFolder {
    /** The name of the subdirectory, as LevelDB's repair names it. */
    static final String NAME = "lost";
    private static final Logger LOG = LoggerFactory.getLogger(LostFolder.class);
    private static final LostFolder NONE = new LostFolder(Set.of(), null);

    private final Set<String> kept;
    private final String reason;

    private LostFolder(Set<String> kept, String reason) {
        this.kept = Set.copyOf(kept);
        this.reason = reason;
    }

    /** Nothing to keep: obsolete files are deleted. */
    static LostFolder none() {
        return NONE;
    }

    /** Keeps the files named {@code fileNames} (names within the store directory) because of {@code reason}. */
    static LostFolder keeping(Set<String> fileNames, String reason) {
        return new LostFolder(fileNames, reason);
    }

    /** Whether {@code file} is to be moved to {@code lost/} rather than deleted. */
    boolean keeps(Path file) {
        return kept.contains(file.getFileName().toString());
    }

    /**
     * Moves {@code file} of {@code directory} into its {@code lost/} folder, durably (both
     * directories are synced, so a crash cannot bring it back where the next open would delete it).
     */
    void move(Storage storage, Path directory, Path file) throws IOException {
        Path lost = directory.resolve(NAME);
        storage.createDirectories(lost);
        String name = file.getFileName().toString();
        Path target = lost.resolve(name);
        for (int i = 1; storage.exists(target); i++) {
            target = lost.resolve(name + "." + i);
        }
        storage.rename(file, target);
        storage.syncDirectory(lost);
        storage.syncDirectory(directory);
        LOG.warn("{}: moved {} to {} instead of deleting it ({})", directory, name, target, reason);
    }
}
