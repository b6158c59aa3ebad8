package org.lsmtree.testing;

import java.util.Map;

/**
 * One change to one directory's entries, durable only once that directory is synced. A rename
 * across directories is recorded as an {@link Kind#UNLINK} in the source directory and a
 * {@link Kind#LINK} in the target directory, each made durable by its own directory's sync.
 *
 * @param directory the directory's absolute path
 * @param kind what happens
 * @param name the entry linked or unlinked, or the rename's source
 * @param target the rename's new name, else {@code null}
 * @param inode the inode linked, else {@code null}
 */
record DirectoryChange(String directory, Kind kind, String name, String target, Inode inode) {

    enum Kind { LINK, UNLINK, RENAME }

    static DirectoryChange link(String directory, String name, Inode inode) {
        return new DirectoryChange(directory, Kind.LINK, name, null, inode);
    }

    static DirectoryChange unlink(String directory, String name) {
        return new DirectoryChange(directory, Kind.UNLINK, name, null, null);
    }

    static DirectoryChange rename(String directory, String from, String to) {
        return new DirectoryChange(directory, Kind.RENAME, from, to, null);
    }

    /** Applies this change to {@code entries} (names to inodes of {@link #directory}). */
    void applyTo(Map<String, Inode> entries) {
        switch (kind) {
            case LINK -> entries.put(name, inode);
            case UNLINK -> entries.remove(name);
            case RENAME -> {
                Inode moved = entries.remove(name);
                if (moved != null) {
                    entries.put(target, moved);
                }
            }
            default -> throw new AssertionError(kind);
        }
    }

    @Override
    public String toString() {
        return switch (kind) {
            case LINK -> "link " + directory + "/" + name + " -> inode " + inode.id;
            case UNLINK -> "unlink " + directory + "/" + name;
            case RENAME -> "rename " + directory + "/" + name + " to " + target;
        };
    }
}
