package org.lsmtree.engine;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.lsmtree.format.CorruptionException;
import org.lsmtree.format.FileType;
import org.lsmtree.format.storage.Storage;
import org.lsmtree.manifest.LevelState;
import org.lsmtree.wal.SequencedBatch;
import org.lsmtree.wal.WalProblem;
import org.lsmtree.wal.WalReader;
import org.lsmtree.wal.WalRecoveryMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replays a store's logs into a memtable at open, under the options' {@link WalRecoveryMode} and
 * record size bound, and tells a torn end from damage: sequence numbers must run on without a
 * gap across the logs. What it drops (bytes of a log, a gap it was told to pass) it adds, in
 * words, to the open's list of drops, which keeps the files an open would delete in
 * {@code lost/}. Not thread-safe; one per open.
 */
final class LogReplay {
    private static final Logger LOG = LoggerFactory.getLogger(LogReplay.class);

    private final Storage storage;
    private final Options options;
    private final List<String> dropped;

    LogReplay(Storage storage, Options options, List<String> dropped) {
        this.storage = storage;
        this.options = options;
        this.dropped = dropped;
    }

    /** The last sequence number a log holds, read under the open's recovery mode; 0 for none. */
    long lastSequenceOf(Path log) throws IOException {
        long last = 0;
        try (WalReader reader = WalReader.open(storage, log, options.walRecoveryMode(), options.maxRecordSize())) {
            for (SequencedBatch batch = reader.next(); batch != null; batch = reader.next()) {
                last = Math.max(last, batch.lastSequence());
            }
        }
        return last;
    }

    /**
     * Replays every log at or after the log number (or the previous log) into {@code memTable}.
     * Sequence numbers run on from one log to the next without a gap (the engine syncs a log
     * before it starts the next, and LevelDB starts a log only after a write succeeded): a gap
     * between logs, or a first log beginning past the MANIFEST's last sequence, is writes missing
     * from the middle of the history, which no crash leaves (a crash loses only a suffix). Such a
     * gap is refused as damage, naming the log and offset; under
     * {@link WalRecoveryMode#POINT_IN_TIME} replay stops before it, and under
     * {@link WalRecoveryMode#SKIP_ANY_CORRUPTED} it is logged and passed. The same holds inside one
     * log: intact records that skip sequence numbers are, by their bytes, the same as a log with a
     * whole record cut out of it (a damage no checksum sees), so they are refused too, although C++
     * LevelDB and iq80 leave such a log when an unsynced append fails and they go on writing (they
     * take a batch's numbers before appending it). The error names the log, the offset and
     * {@code SKIP_ANY_CORRUPTED}, which opens such a LevelDB store with every intact record.
     */
    long replay(LevelState state, StoreDirectory listing, MemTable memTable, boolean acceptedLostEdits)
            throws IOException {
        long lastSequence = state.lastSequence();
        long expected = -1; // the sequence the next write must take; -1 before the first one
        for (StoreDirectory.Entry log : listing.ofType(FileType.LOG)) {
            boolean inThisLog = false; // whether a batch of this log came before
            if (log.number() < state.logNumber() && log.number() != state.previousLogNumber()) {
                continue;
            }
            boolean stop = false;
            try (WalReader reader = WalReader.open(storage, log.path(), options.walRecoveryMode(),
                    options.maxRecordSize())) {
                for (SequencedBatch batch = reader.next(); batch != null; batch = reader.next()) {
                    String gap = expected >= 0 && batch.sequence() != expected
                            ? "holds writes from sequence " + batch.sequence() + " where " + expected + " comes next"
                            : expected < 0 && !acceptedLostEdits
                                    && Long.compareUnsigned(batch.sequence(), state.lastSequence() + 1) > 0
                                    ? "begins at sequence " + batch.sequence() + ", past the MANIFEST's last sequence "
                                            + state.lastSequence() + " + 1"
                                    : null;
                    if (gap != null && options.walRecoveryMode() != WalRecoveryMode.SKIP_ANY_CORRUPTED) {
                        long offset = reader.summary().bytes();
                        if (options.walRecoveryMode() != WalRecoveryMode.POINT_IN_TIME) {
                            throw new CorruptionException(log.path().toString(), offset, "the log " + gap
                                    + ": writes are missing from the middle of the history (damage, not a torn write;"
                                    + (inThisLog ? " or a LevelDB that went on writing after a failed append;" : "")
                                    + " nothing was changed). WalRecoveryMode.POINT_IN_TIME opens the writes before"
                                    + " the gap, SKIP_ANY_CORRUPTED every intact write");
                        }
                        LOG.warn("{}: replay stopped before a gap (POINT_IN_TIME): the log {}", log.path(), gap);
                        dropped.add(log.path().getFileName() + " stopped before a gap in the sequence at offset " + offset);
                        stop = true;
                        break;
                    }
                    if (gap != null) {
                        LOG.warn("{}: passing a gap (SKIP_ANY_CORRUPTED): the log {}", log.path(), gap);
                        dropped.add(log.path().getFileName() + " has a gap in the sequence");
                    }
                    memTable.insert(batch.sequence(), batch.batch());
                    lastSequence = Math.max(lastSequence, batch.lastSequence());
                    expected = batch.lastSequence() + 1;
                    inThisLog = true;
                }
                for (WalProblem problem : reader.problems()) {
                    LOG.warn("{}: {} under {}", log.path(), problem, options.walRecoveryMode());
                    if (problem.bytesDropped() > 0) {
                        dropped.add(log.path().getFileName() + " dropped " + problem.bytesDropped()
                                + " bytes at offset " + problem.offset());
                    }
                }
                if (reader.stoppedAtDamage()) {
                    LOG.warn("{}: replay stopped at damage (POINT_IN_TIME); later logs are not replayed", log.path());
                    stop = true;
                }
            }
            if (stop) {
                break;
            }
        }
        return lastSequence;
    }

}
