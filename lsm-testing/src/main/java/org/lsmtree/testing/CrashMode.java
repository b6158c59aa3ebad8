package org.lsmtree.testing;

/**
 * What survives a simulated crash in {@link CrashSimulatingStorage#afterCrash(CrashMode, long)}.
 * Bytes still in a writer's user-space buffer (appended, not flushed) are lost in every mode.
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
    /** Only the process died: every flushed byte and every directory change survive. */
    PROCESS_CRASH
}
