package org.lsmtree.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.lsmtree.format.storage.SequentialFile;
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
 * <p>Which files an open keeps is itself made durable before that open switches {@code CURRENT}:
 * a list {@code lost/KEEP-<manifest number>}, one name a line. Otherwise an open that died (or
 * failed) after the switch but before its moves would leave the next open, which sees a clean
 * MANIFEST and drops nothing, deleting them. Every open keeps the names of such lists that are
 * still in the store, and deletes a list once none of its names is left there.
 *
 * <p>Immutable and thread-safe; moves run one at a time, under {@link ObsoleteFiles}' deletion lock.
 */
final class LostFolder {
    /** The name of the subdirectory, as LevelDB's repair names it. */
    static final String NAME = "lost";
    /** The prefix of the durable lists of names an open keeps. */
    static final String KEEP_LIST_PREFIX = "KEEP-";
    /** Longer lines of a keep list name no file of a store. */
    private static final int MAX_NAME_LENGTH = 255;
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

    /** The names of the files kept. */
    Set<String> kept() {
        return kept;
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

    /**
     * Writes the list of {@code fileNames} that the open creating MANIFEST {@code manifestNumber}
     * keeps, durably (the list synced, then both directories), before that open switches CURRENT.
     */
    static void recordKeepList(Storage storage, Path directory, long manifestNumber, Set<String> fileNames)
            throws IOException {
        Path lost = directory.resolve(NAME);
        storage.createDirectories(lost);
        Path list = lost.resolve(KEEP_LIST_PREFIX + manifestNumber);
        var out = storage.create(list);
        try {
            for (String name : fileNames) {
                out.append((name + "\n").getBytes(StandardCharsets.UTF_8));
            }
            out.flush();
            out.sync();
        } finally {
            out.close();
        }
        storage.syncDirectory(lost);
        storage.syncDirectory(directory);
    }

    /**
     * The names, among {@code present} (the store's files now), that an earlier open's keep list
     * holds: that open may have died before moving them. Lists none of whose names is present
     * any more are done with and deleted. Reads each list as a stream (its size costs no memory).
     */
    static Set<String> keptByEarlierOpens(Storage storage, Path directory, Set<String> present) throws IOException {
        Path lost = directory.resolve(NAME);
        Set<String> kept = new HashSet<>();
        if (!storage.exists(lost)) {
            return kept;
        }
        List<Path> entries;
        try {
            entries = storage.list(lost);
        } catch (java.nio.file.NotDirectoryException e) {
            return kept; // a file of that name: no open of ours kept anything (moving would fail, before CURRENT)
        }
        for (Path list : entries) {
            if (!list.getFileName().toString().startsWith(KEEP_LIST_PREFIX)) {
                continue;
            }
            Set<String> named = namesIn(storage, list, present);
            if (named.isEmpty()) {
                storage.delete(list);
            } else {
                LOG.warn("{}: an earlier open had not finished moving {} to {}/; they are kept", directory, named, NAME);
                kept.addAll(named);
            }
        }
        return kept;
    }

    /** The lines of the keep list {@code list} that are among {@code present}. */
    private static Set<String> namesIn(Storage storage, Path list, Set<String> present) throws IOException {
        Set<String> named = new HashSet<>();
        StringBuilder line = new StringBuilder();
        byte[] chunk = new byte[4096];
        try (SequentialFile in = storage.openSequential(list)) {
            for (int n = in.read(chunk, 0, chunk.length); n > 0; n = in.read(chunk, 0, chunk.length)) {
                for (int i = 0; i < n; i++) {
                    char c = (char) (chunk[i] & 0xff); // store file names are ASCII
                    if (c == '\n') {
                        if (present.contains(line.toString())) {
                            named.add(line.toString());
                        }
                        line.setLength(0);
                    } else if (line.length() <= MAX_NAME_LENGTH) {
                        line.append(c);
                    }
                }
            }
        }
        return named;
    }
}
