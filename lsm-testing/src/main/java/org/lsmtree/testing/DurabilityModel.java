package org.lsmtree.testing;

import static com.google.common.base.Preconditions.checkState;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a {@link CrashSimulatingStorage} knows about durability: the live names of files, the
 * durable entries of each directory, the directory changes not yet durable, and the directories.
 *
 * <p>Invariant: for every directory, applying its pending changes in order to its durable entries
 * gives its live entries. Directories themselves are durable from their creation on (a
 * simplification: LevelDB never removes or renames a directory). Paths are absolute, normalized
 * path strings. Not thread-safe: the storage guards it with its monitor.
 */
final class DurabilityModel {

    /** A file of a crash state: directory, name, content. */
    record CrashedFile(String directory, String name, byte[] content) {}

    private final Map<String, Map<String, Inode>> live = new TreeMap<>();
    private final Map<String, Map<String, Inode>> durable = new TreeMap<>();
    private final List<DirectoryChange> pending = new ArrayList<>();
    private final Set<String> directories = new TreeSet<>();
    private long nextInode = 1;

    void directoryCreated(String directory) {
        directories.add(directory);
    }

    /** Removes an empty directory and, since it is gone for good, everything recorded in it. */
    void directoryDeleted(String directory) {
        directories.remove(directory);
        live.remove(directory);
        durable.remove(directory);
        pending.removeIf(change -> change.directory().equals(directory));
    }

    boolean isDirectory(String path) {
        return directories.contains(path);
    }

    Set<String> directories() {
        return directories;
    }

    /** The inode live at {@code directory/name}, or {@code null}. */
    Inode inode(String directory, String name) {
        return live.getOrDefault(directory, Map.of()).get(name);
    }

    /** Links a new, empty inode at {@code directory/name}, replacing any file there. */
    Inode created(String directory, String name) {
        Inode inode = new Inode(nextInode++);
        record(DirectoryChange.link(directory, name, inode));
        return inode;
    }

    /** Adds a file that is already durable (the files of a crash state). */
    void restored(String directory, String name, byte[] content) {
        Inode inode = Inode.durable(nextInode++, content);
        entries(live, directory).put(name, inode);
        entries(durable, directory).put(name, inode);
    }

    void renamed(String sourceDir, String sourceName, String targetDir, String targetName) {
        if (sourceDir.equals(targetDir)) {
            record(DirectoryChange.rename(sourceDir, sourceName, targetName));
        } else {
            Inode inode = inode(sourceDir, sourceName);
            checkState(inode != null, "no file %s/%s", sourceDir, sourceName);
            record(DirectoryChange.unlink(sourceDir, sourceName));
            record(DirectoryChange.link(targetDir, targetName, inode));
        }
    }

    void deleted(String directory, String name) {
        record(DirectoryChange.unlink(directory, name));
    }

    /** Makes every pending change of {@code directory} durable. */
    void directorySynced(String directory) {
        for (Iterator<DirectoryChange> it = pending.iterator(); it.hasNext(); ) {
            DirectoryChange change = it.next();
            if (change.directory().equals(directory)) {
                change.applyTo(entries(durable, directory));
                it.remove();
            }
        }
        assert entries(durable, directory).equals(entries(live, directory))
                : "durable entries of " + directory + " differ from the live ones after a sync";
    }

    List<DirectoryChange> pendingChanges() {
        return List.copyOf(pending);
    }

    /**
     * The files that survive a crash in {@code mode}, sorted by directory and name (two names of
     * one inode get the same content). {@code random} is drawn from, in a fixed order, only in
     * {@link CrashMode#TORN} and {@link CrashMode#GARBAGE_TAIL}.
     */
    List<CrashedFile> crashState(CrashMode mode, SplittableRandom random) {
        SortedMap<String, Map<String, Inode>> entries = new TreeMap<>();
        durable.forEach((dir, names) -> entries.put(dir, new TreeMap<>(names)));
        for (DirectoryChange change : pending) {
            boolean kept = switch (mode) {
                case DROP_UNSYNCED, REVERT_DIRECTORY_CHANGES -> false;
                case PROCESS_CRASH, GARBAGE_TAIL -> true;
                case TORN -> random.nextBoolean();
            };
            if (kept) {
                change.applyTo(entries.computeIfAbsent(change.directory(), d -> new TreeMap<>()));
            }
        }
        Map<Inode, byte[]> contents = new IdentityHashMap<>();
        List<CrashedFile> files = new ArrayList<>();
        entries.forEach((dir, names) -> names.forEach((name, inode) -> {
            byte[] content = contents.computeIfAbsent(inode, i -> survivingContent(i, mode, random));
            files.add(new CrashedFile(dir, name, content));
        }));
        return files;
    }

    private static byte[] survivingContent(Inode inode, CrashMode mode, SplittableRandom random) {
        int synced = inode.syncedLength();
        int flushed = inode.flushedLength();
        return switch (mode) {
            case DROP_UNSYNCED -> inode.prefix(synced);
            case PROCESS_CRASH, REVERT_DIRECTORY_CHANGES -> inode.prefix(flushed);
            case TORN -> inode.prefix(synced + random.nextInt(flushed - synced + 1));
            case GARBAGE_TAIL -> {
                byte[] content = inode.prefix(flushed);
                if (flushed > synced) {
                    for (int i = synced + random.nextInt(flushed - synced); i < flushed; i++) {
                        content[i] ^= (byte) (1 + random.nextInt(255)); // never the byte written
                    }
                }
                yield content;
            }
        };
    }

    private void record(DirectoryChange change) {
        change.applyTo(entries(live, change.directory()));
        pending.add(change);
    }

    private static Map<String, Inode> entries(Map<String, Map<String, Inode>> view, String dir) {
        return view.computeIfAbsent(dir, d -> new TreeMap<>());
    }
}
