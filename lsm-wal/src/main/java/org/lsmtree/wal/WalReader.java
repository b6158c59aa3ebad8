package org.lsmtree.wal;

import static com.google.common.base.Preconditions.checkNotNull;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.lsmtree.format.CorruptionException;
import org.lsmtree.format.log.LogFormat;
import org.lsmtree.format.log.LogReader;
import org.lsmtree.format.log.LogReporter;
import org.lsmtree.format.storage.RandomReadFile;
import org.lsmtree.format.storage.SequentialFile;
import org.lsmtree.format.storage.Storage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replays the batches of one WAL file in order, under a {@link WalRecoveryMode}. Checks, besides
 * the record framing, that every record is a valid batch ({@link WriteBatchCodec}) and that
 * sequences never go backwards from one batch to the next.
 *
 * <p>Problems the mode tolerates are kept ({@link #problems()}) and logged at DEBUG (the engine
 * decides what to tell its user); the first one it does not tolerate is thrown as a
 * {@link CorruptionException} naming the file and offset, and the reader is then finished. Under {@link WalRecoveryMode#POINT_IN_TIME} the reader ends, without
 * error, at the first damage ({@link #stoppedAtDamage()}); the engine should then replay no later
 * log either.
 *
 * <p>Not thread-safe.
 */
public final class WalReader implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(WalReader.class);

    private final String fileName;
    private final WalRecoveryMode mode;
    private final LogReader log;
    private final List<WalProblem> pending = new ArrayList<>();
    private final List<WalProblem> problems = new ArrayList<>();
    private boolean finished;
    private boolean stoppedAtDamage;
    private long nextSequence = -1;

    private long records;
    private long batches;
    private long entries;
    private long puts;
    private long firstSequence = -1;
    private long lastSequence = -1;
    private long bytesDropped;

    /**
     * A reader over {@code file}, named {@code fileName} in errors, that keeps batches of up to
     * {@link LogFormat#DEFAULT_MAX_RECORD_SIZE} bytes; takes ownership of the file. A sequential
     * file cannot be read ahead, so a torn chain of fragments costs up to that size in memory
     * before it is dropped; {@link #open} reads without that cost.
     */
    public WalReader(SequentialFile file, String fileName, WalRecoveryMode mode) {
        this(fileName, mode, LogFormat.DEFAULT_MAX_RECORD_SIZE, checkNotNull(file, "file"), null);
    }

    /**
     * A reader over {@code file}, named {@code fileName} in errors, that keeps batches of up to
     * {@code maxRecordSize} bytes (a larger one is a {@link CorruptionException} that names the
     * option, in every mode but {@link WalRecoveryMode#SKIP_ANY_CORRUPTED}); takes ownership of the file.
     */
    public WalReader(RandomReadFile file, String fileName, WalRecoveryMode mode, int maxRecordSize) {
        this(fileName, mode, maxRecordSize, null, checkNotNull(file, "file"));
    }

    private WalReader(String fileName, WalRecoveryMode mode, int maxRecordSize, SequentialFile sequential,
            RandomReadFile random) {
        this.fileName = checkNotNull(fileName, "fileName");
        this.mode = checkNotNull(mode, "mode");
        LogReporter reporter = problem -> pending.add(WalProblem.of(problem));
        this.log = sequential != null ? new LogReader(sequential, reporter, maxRecordSize)
                : new LogReader(random, reporter, maxRecordSize);
    }

    /** Opens {@code file} of {@code storage} for replay, keeping batches of up to the default maximum size. */
    public static WalReader open(Storage storage, Path file, WalRecoveryMode mode) throws IOException {
        return open(storage, file, mode, LogFormat.DEFAULT_MAX_RECORD_SIZE);
    }

    /**
     * Opens {@code file} of {@code storage} for replay, keeping batches of up to
     * {@code maxRecordSize} bytes. A fragmented record is followed to its end before any of it is
     * kept, so a torn or hostile chain costs no memory.
     */
    public static WalReader open(Storage storage, Path file, WalRecoveryMode mode, int maxRecordSize)
            throws IOException {
        return new WalReader(storage.openRandomRead(file), file.toString(), mode, maxRecordSize);
    }

    /**
     * The next batch, or null at the end of the log (or where {@link WalRecoveryMode#POINT_IN_TIME}
     * stopped). Throws {@link CorruptionException} at damage the mode does not tolerate.
     */
    public SequencedBatch next() throws IOException {
        while (!finished) {
            byte[] record = log.readRecord();
            for (WalProblem problem : pending) {
                if (!accept(problem)) {
                    break;
                }
            }
            pending.clear();
            if (finished) {
                return null;
            }
            if (record == null) {
                finished = true;
                return null;
            }
            records++;
            long offset = log.lastRecordOffset();
            SequencedBatch batch;
            try {
                batch = WriteBatchCodec.INSTANCE.decodeOwned(record);
            } catch (CorruptionException e) {
                accept(new WalProblem(WalProblem.Kind.BAD_BATCH, offset, log.lastRecordEnd() - offset,
                        "record is not a valid write batch: " + e.reason() + " (at byte " + e.offset()
                                + " of the batch)"));
                continue;
            }
            if (batch.sequence() < nextSequence) {
                accept(new WalProblem(WalProblem.Kind.SEQUENCE_REGRESSION, offset, log.lastRecordEnd() - offset,
                        "batch sequence " + batch.sequence() + " goes back below " + nextSequence));
                continue;
            }
            if (!finished) {
                count(batch);
                return batch;
            }
        }
        return null;
    }

    /** The problems tolerated so far, in the order met. */
    public List<WalProblem> problems() {
        return List.copyOf(problems);
    }

    /** Whether {@link WalRecoveryMode#POINT_IN_TIME} ended the replay at damage. */
    public boolean stoppedAtDamage() {
        return stoppedAtDamage;
    }

    /** What this reader has replayed so far; {@code bytes} is the file offset reached. */
    public WalSummary summary() {
        return new WalSummary(records, batches, entries, puts, entries - puts, firstSequence, lastSequence,
                log.position(), bytesDropped, log.unusedPreallocation());
    }

    @Override
    public void close() throws IOException {
        log.close();
    }

    /** Applies the mode to one problem; returns false when reading is over (stopped or thrown). */
    private boolean accept(WalProblem problem) throws CorruptionException {
        if (!mode.tolerates(problem)) {
            finished = true;
            throw new CorruptionException(fileName, problem.offset(), problem.kind() + ": " + problem.message());
        }
        problems.add(problem);
        bytesDropped += problem.bytesDropped();
        LOG.debug("{}: tolerated under {}: {}", fileName, mode, problem);
        if (mode.stopsAt(problem.kind())) {
            finished = true;
            stoppedAtDamage = true;
            return false;
        }
        return true;
    }

    private void count(SequencedBatch batch) {
        batches++;
        if (firstSequence < 0) {
            firstSequence = batch.sequence();
        }
        lastSequence = batch.lastSequence();
        nextSequence = batch.sequence() + batch.batch().count();
        entries += batch.batch().count();
        puts += batch.batch().putCount();
    }
}
