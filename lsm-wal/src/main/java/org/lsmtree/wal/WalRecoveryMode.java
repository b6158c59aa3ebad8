package org.lsmtree.wal;

/**
 * What replaying a WAL tolerates. The same damaged log gives a different outcome in each mode;
 * the examples below are for a log of batches B1..B5 in which something is wrong with B3.
 *
 * <p>A crash while a batch was being appended leaves a <em>tail</em>: the file ends inside the
 * last record (torn) or in zeros where a record should start (zeroed). A tail never holds an
 * acknowledged synced write, because a synced write returns only after its whole record is
 * durable. Damage anywhere else (a bad checksum, an impossible length, a batch that does not
 * parse, a sequence that goes backwards) means the file changed after it was written.
 */
public enum WalRecoveryMode {
    /**
     * The default. A torn or zeroed tail is dropped and reported, and so is damaged framing in the
     * log's last block that nothing checksummed follows ({@link WalProblem#nothingIntactAfter()}):
     * what a machine crash leaves when the OS kept a file's length but not its unsynced data,
     * which never holds an acknowledged synced write. Any other damage is a
     * {@link org.lsmtree.format.CorruptionException} naming the file and offset. A non-zero block
     * trailer, which loses nothing, is reported and tolerated.
     *
     * <p>Example: B3 torn off by a crash: B1, B2 replay and the tail is reported. B5's checksum
     * wrong (garbage over the end): B1..B4 replay and the damage is reported. B3's checksum wrong
     * with B4, B5 after it: replay fails at B3's offset.
     *
     * <p>The price: a bit flipped on disk in a log's very last record reads like that garbage, so
     * it loses that record (reported; the engine keeps the log in {@code lost/}) instead of
     * failing the open. Garbage that begins in an earlier, full block is refused.
     */
    TOLERATE_CORRUPTED_TAIL,

    /**
     * Any damage at all, a torn tail included, is a {@link org.lsmtree.format.CorruptionException}:
     * for stores that were shut down cleanly and must be exactly what was written.
     *
     * <p>Example: B3 torn off by a crash: replay fails at B3's offset.
     */
    ABSOLUTE_CONSISTENCY,

    /**
     * Replay stops at the first damage of any kind and keeps everything before it; the damage is
     * reported, never thrown. The store comes back as it was at some moment before the damage.
     *
     * <p>Example: B3's checksum wrong: B1, B2 replay; B4, B5 are not applied even though intact.
     */
    POINT_IN_TIME,

    /**
     * Each damaged record is skipped and reported, and replay goes on: salvages the most data,
     * at the price of a state that may never have existed (B4 without B3). The only mode that also
     * skips (and reports) a record larger than the reader's {@code maxRecordSize}; every other
     * mode refuses one, since it is not damage and raising the option replays it.
     *
     * <p>Example: B3's checksum wrong: B1, B2, B4, B5 replay (with LevelDB's framing, damage loses
     * the rest of its 32 KiB block, so batches sharing B3's block after it are lost too).
     */
    SKIP_ANY_CORRUPTED;

    /** Whether this mode tolerates {@code problem} (reporting it) rather than throwing. */
    boolean tolerates(WalProblem.Kind problem) {
        if (problem == WalProblem.Kind.RECORD_TOO_LARGE) { // a sound record: skipping it loses a write
            return this == SKIP_ANY_CORRUPTED;
        }
        switch (this) {
            case TOLERATE_CORRUPTED_TAIL:
                return problem.isTail() || problem == WalProblem.Kind.NONZERO_BLOCK_TRAILER;
            case ABSOLUTE_CONSISTENCY:
                return false;
            default:
                return true;
        }
    }

    /**
     * Whether this mode tolerates {@code problem} (reporting it) rather than throwing: by its kind,
     * and under {@link #TOLERATE_CORRUPTED_TAIL} also damaged framing that nothing intact follows.
     */
    boolean tolerates(WalProblem problem) {
        return tolerates(problem.kind()) || this == TOLERATE_CORRUPTED_TAIL && problem.nothingIntactAfter();
    }

    /** Whether replay stops (without error) at a tolerated {@code problem}. */
    boolean stopsAt(WalProblem.Kind problem) {
        return this == POINT_IN_TIME && problem != WalProblem.Kind.NONZERO_BLOCK_TRAILER;
    }
}
