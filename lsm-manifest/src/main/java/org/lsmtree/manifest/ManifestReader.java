package org.lsmtree.manifest;

import static com.google.common.base.Preconditions.checkNotNull;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.lsmtree.format.CorruptionException;
import org.lsmtree.format.key.InternalKeyComparator;
import org.lsmtree.format.log.LogFormat;
import org.lsmtree.format.log.LogProblem;
import org.lsmtree.format.log.LogReader;
import org.lsmtree.format.storage.Storage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the version edits of one MANIFEST in order, and replays them into a {@link LevelState}.
 * Each record is decoded whole before it is returned, so an edit is applied entirely or not at
 * all. Problems of the record framing are decided by a {@link TailPolicy}: anything other than a
 * tail left by a crash is always a {@link CorruptionException} naming the file and the offset; a
 * torn or zeroed tail is dropped (and remembered, see {@link #droppedTail()}) only under
 * {@link TailPolicy#TOLERATE_TORN_TAIL} (the log reader never calls damage a tail).
 *
 * <p>Not thread-safe.
 */
public final class ManifestReader implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(ManifestReader.class);

    /** What to do with the end of a MANIFEST that a crash during an append can leave. */
    public enum TailPolicy {
        /**
         * A last edit cut off (or zeros where it should be) is dropped whole, as LevelDB does: the
         * edit was never acknowledged, since an edit counts only once it is synced.
         */
        TOLERATE_TORN_TAIL,
        /** Every problem, a torn tail included, is a {@link CorruptionException}. */
        STRICT
    }

    /** The result of {@link #replay}: the state, how many edits made it, and where they end. */
    public record Replay(LevelState state, long edits, long validLength, Optional<LogProblem> droppedTail) {}

    private final Storage storage;
    private final Path file;
    private final TailPolicy policy;
    private final LogReader log;
    private LogProblem droppedTail;
    private long editOffset = -1;
    private long validLength;

    private ManifestReader(Storage storage, Path file, TailPolicy policy, int maxRecordSize) throws IOException {
        this.storage = storage;
        this.file = file;
        this.policy = policy;
        this.log = new LogReader(storage.openRandomRead(file), this::onProblem, maxRecordSize).withoutPreallocation();
    }

    /** Opens {@code manifest} for reading from its first edit, keeping edits of up to the default maximum size. */
    public static ManifestReader open(Storage storage, Path manifest, TailPolicy policy) throws IOException {
        return open(storage, manifest, policy, LogFormat.DEFAULT_MAX_RECORD_SIZE);
    }

    /**
     * Opens {@code manifest} for reading from its first edit. An edit record larger than
     * {@code maxRecordSize} bytes is a {@link CorruptionException} naming the option, whatever the
     * policy; a fragmented record is followed to its end before any of it is kept.
     */
    public static ManifestReader open(Storage storage, Path manifest, TailPolicy policy, int maxRecordSize)
            throws IOException {
        return new ManifestReader(checkNotNull(storage, "storage"), checkNotNull(manifest, "manifest"),
                checkNotNull(policy, "policy"), maxRecordSize);
    }

    /** {@link #replay(Storage, Path, InternalKeyComparator, TailPolicy, int)} with the default maximum record size. */
    public static Replay replay(Storage storage, Path manifest, InternalKeyComparator comparator,
            TailPolicy policy) throws IOException {
        return replay(storage, manifest, comparator, policy, LogFormat.DEFAULT_MAX_RECORD_SIZE);
    }

    /**
     * Folds every edit of {@code manifest} into a state ordered by {@code comparator}, checking the
     * invariants of {@link LevelState} after each edit, in time linear in the edits (one
     * {@link LevelStateBuilder}). The MANIFEST must set the log number, the next file number and
     * the last sequence (LevelDB's rule); one that does not is a {@link CorruptionException} at its
     * valid length.
     */
    public static Replay replay(Storage storage, Path manifest, InternalKeyComparator comparator,
            TailPolicy policy, int maxRecordSize) throws IOException {
        return replay(storage, manifest, new LevelStateBuilder(LevelState.empty(comparator)), policy, maxRecordSize);
    }

    /** Replays {@code manifest} into {@code builder}. */
    static Replay replay(Storage storage, Path manifest, LevelStateBuilder builder, TailPolicy policy,
            int maxRecordSize) throws IOException {
        long edits = 0;
        try (ManifestReader reader = open(storage, manifest, policy, maxRecordSize)) {
            for (VersionEdit edit = reader.next(); edit != null; edit = reader.next()) {
                try {
                    builder.apply(edit);
                } catch (CorruptionException e) {
                    throw e.locatedAt(manifest.toString(), reader.lastEditOffset());
                }
                edits++;
            }
            LevelState state = builder.build();
            if (!state.missingFields().isEmpty()) {
                throw new CorruptionException(manifest.toString(), reader.validLength(),
                        "MANIFEST of " + edits + " edit(s) never sets " + String.join(", ", state.missingFields()));
            }
            return new Replay(state, edits, reader.validLength(), reader.droppedTail());
        }
    }

    /** The next edit, or null after the last one. */
    public VersionEdit next() throws IOException {
        byte[] record = log.readRecord();
        if (record == null) {
            return null;
        }
        editOffset = log.lastRecordOffset();
        try {
            VersionEdit edit = VersionEditCodec.INSTANCE.decode(record);
            validLength = log.lastRecordEnd();
            return edit;
        } catch (CorruptionException e) {
            throw new CorruptionException(file.toString(), editOffset,
                    "version edit at " + editOffset + " (byte " + e.offset() + " of its record): " + e.reason(), e);
        }
    }

    /** The file offset of the record that holds the edit last returned, or -1 before the first. */
    public long lastEditOffset() {
        return editOffset;
    }

    /** The file offset just after the last edit returned: how much of the file is good. */
    public long validLength() {
        return validLength;
    }

    /** The torn or zeroed tail dropped under {@link TailPolicy#TOLERATE_TORN_TAIL}, if any. */
    public Optional<LogProblem> droppedTail() {
        return Optional.ofNullable(droppedTail);
    }

    @Override
    public void close() throws IOException {
        log.close();
    }

    private void onProblem(LogProblem problem) throws IOException {
        // The log reader calls a tail only what a crash can leave: a length damaged to reach past
        // the end, or zeros with records after them, are reported as damage instead.
        if (problem.kind().isTail() && policy == TailPolicy.TOLERATE_TORN_TAIL) {
            LOG.warn("{}: dropping {}", file, problem);
            droppedTail = problem;
            return;
        }
        throw new CorruptionException(file.toString(), problem.offset(), problem.kind() + ": " + problem.message());
    }
}
