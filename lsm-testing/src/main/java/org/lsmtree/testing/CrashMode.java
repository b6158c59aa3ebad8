package org.lsmtree.testing;

/**
 * What survives a simulated crash in {@link CrashSimulatingStorage#afterCrash(CrashMode, long)}.
 * Bytes still in a writer's user-space buffer (appended, not flushed) are lost in every mode;
 * synced bytes and directory changes made durable by a directory sync survive in every mode.
 * The modes differ in what happens to the rest: a file's flushed-but-unsynced bytes, and the
 * directory changes (create, rename, delete) no directory sync followed.
 */
public enum CrashMode {
    /**
     * The machine lost power and the OS kept nothing it was not told to keep: each file holds its
     * synced bytes, and only directory changes made durable by a directory sync are there.
     */
    DROP_UNSYNCED,
    /**
     * The machine lost power while the OS was writing back: each file keeps its synced bytes plus
     * a random prefix of its flushed-but-unsynced bytes, and each unsynced directory change is
     * kept or lost by a coin flip (applied in order; a rename whose source is gone is skipped).
     * Deterministic for a given seed.
     */
    TORN,
    /**
     * The machine lost power after the OS had grown the files but before all their data reached
     * the disk: each file keeps its length (every flushed byte), but in a file with unsynced bytes
     * a random tail of them (at least one byte, never a synced one) holds random garbage, each
     * byte different from the one written. Every directory change is kept. Deterministic for a given seed.
     */
    GARBAGE_TAIL,
    /**
     * The OS wrote back every file's data but none of the directory changes that no directory
     * sync made durable: a file created since is gone, a renamed one has its old name back, a
     * deleted one is there again, each with every byte flushed to it.
     */
    REVERT_DIRECTORY_CHANGES,
    /** Only the process died: every flushed byte and every directory change survive. */
    PROCESS_CRASH
}
