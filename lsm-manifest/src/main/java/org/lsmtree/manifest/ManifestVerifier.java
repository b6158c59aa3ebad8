package org.lsmtree.manifest;

import static com.google.common.base.Preconditions.checkNotNull;

import java.io.IOException;
import java.nio.file.Path;
import org.lsmtree.format.CorruptionException;
import org.lsmtree.format.VerificationReport;
import org.lsmtree.format.Verifier;
import org.lsmtree.format.key.BytewiseComparator;
import org.lsmtree.format.key.InternalKeyComparator;
import org.lsmtree.format.key.UserComparator;
import org.lsmtree.format.log.LogFormat;
import org.lsmtree.format.log.LogProblem;
import org.lsmtree.format.log.LogReader;
import org.lsmtree.format.storage.Storage;

/**
 * Checks a whole MANIFEST and reports every problem instead of stopping at the first: framing
 * problems of the log (by their {@link LogProblem.Kind}), edits that do not decode
 * ({@code BAD_EDIT}), edits that break an invariant of {@link LevelState} ({@code INVARIANT}, the
 * edit is then skipped and the replay goes on), and required fields never set
 * ({@code INCOMPLETE}). The report's counts summarize what the edits add up to: edits, files and
 * bytes per level, log numbers, next file number, last sequence; {@link #check} also returns the
 * state itself (with the recorded comparator name). {@link #verifyStore} also checks a whole
 * store directory against it: tables the MANIFEST references that are missing, and tables, logs,
 * MANIFESTs and temp files that nothing references (orphans a crash or a hand left behind).
 *
 * <p>Stateless and thread-safe.
 */
public final class ManifestVerifier implements Verifier {

    /** What {@link #check} found: the report and the state the good edits add up to. */
    public record Outcome(VerificationReport report, LevelState state) {}

    private final InternalKeyComparator comparator;

    /** A verifier for stores ordered by LevelDB's default, bytewise comparator. */
    public ManifestVerifier() {
        this(BytewiseComparator.INSTANCE);
    }

    public ManifestVerifier(UserComparator userComparator) {
        this.comparator = new InternalKeyComparator(checkNotNull(userComparator, "userComparator"));
    }

    @Override
    public VerificationReport verify(Storage storage, Path manifest) throws IOException {
        return check(storage, manifest).report();
    }

    /** Verifies {@code manifest} and returns the report with the replayed state. */
    public Outcome check(Storage storage, Path manifest) throws IOException {
        VerificationReport.Builder report = VerificationReport.builder(manifest.toString());
        LevelState state = replayInto(storage, manifest, report, "");
        return new Outcome(report.build(), state);
    }

    /**
     * Verifies the store in {@code directory}: {@code CURRENT}, the MANIFEST it names (problems
     * prefixed with its name), then the directory's files against the replayed state. Kinds:
     * {@code CURRENT} (missing or malformed; nothing else is checked then), {@code MISSING_MANIFEST},
     * {@code MISSING_TABLE}, {@code ORPHAN_TABLE}, {@code ORPHAN_LOG}, {@code ORPHAN_MANIFEST},
     * {@code ORPHAN_TEMP}, plus the MANIFEST's own kinds.
     */
    public Outcome verifyStore(Storage storage, Path directory) throws IOException {
        VerificationReport.Builder report = VerificationReport.builder(directory.toString());
        LevelState state = LevelState.empty(comparator);
        String manifestName;
        try {
            manifestName = CurrentFile.read(storage, directory);
        } catch (java.nio.file.NoSuchFileException e) {
            report.problem(-1, "CURRENT", "CURRENT is missing: " + e.getMessage());
            return new Outcome(report.build(), state);
        } catch (CorruptionException e) {
            report.problem(e.offset(), "CURRENT", e.getMessage());
            return new Outcome(report.build(), state);
        }
        Path manifest = directory.resolve(manifestName);
        if (!storage.exists(manifest)) {
            report.problem(-1, "MISSING_MANIFEST", "CURRENT names " + manifestName + ", which is missing");
            return new Outcome(report.build(), state);
        }
        state = replayInto(storage, manifest, report, manifestName + ": ");
        StoreFiles.check(storage, directory, manifestName, state, report);
        return new Outcome(report.build(), state);
    }

    /**
     * Replays {@code manifest} into {@code report} (problem messages prefixed with {@code prefix})
     * and adds the summary counts; returns the state the good edits add up to.
     */
    LevelState replayInto(Storage storage, Path manifest, VerificationReport.Builder report, String prefix)
            throws IOException {
        report.checked("record framing of the log (checksums, lengths, fragment order, tail)")
                .checked("every version edit decodes (known tags, levels 0..6, internal keys)")
                .checked("edits keep the level state's invariants (deleted files live, no file added twice,"
                        + " levels 1..6 ordered and disjoint, file numbers below the next file number,"
                        + " log number never decreasing, comparator name)")
                .checked("log number, next file number and last sequence are set");
        LevelStateBuilder builder = new LevelStateBuilder(LevelState.empty(comparator));
        long edits = 0;
        long badEdits = 0;
        try (LogReader log = new LogReader(storage.openRandomRead(manifest),
                problem -> report.problem(problem.offset(), problem.kind().name(), prefix + problem.message()
                        + " (" + problem.bytesDropped() + " bytes dropped)"), LogFormat.DEFAULT_MAX_RECORD_SIZE).withoutPreallocation()) {
            for (byte[] record = log.readRecord(); record != null; record = log.readRecord()) {
                long offset = log.lastRecordOffset();
                VersionEdit edit;
                try {
                    edit = VersionEditCodec.INSTANCE.decode(record);
                } catch (CorruptionException e) {
                    report.problem(offset, "BAD_EDIT", prefix + "edit at " + offset + ", byte " + e.offset()
                            + " of its record: " + e.reason());
                    badEdits++;
                    continue;
                }
                try {
                    builder.apply(edit); // a rejected edit leaves the builder as it was
                    edits++;
                } catch (CorruptionException e) {
                    report.problem(offset, "INVARIANT", prefix + "edit at " + offset + ": " + e.reason());
                    badEdits++;
                }
            }
        }
        LevelState state = builder.build();
        if (!state.missingFields().isEmpty()) {
            report.problem(-1, "INCOMPLETE", prefix + "no edit sets " + String.join(", ", state.missingFields()));
        }
        report.count("edits", edits).count("bad edits", badEdits);
        for (int level = 0; level < ManifestFormat.NUM_LEVELS; level++) {
            report.count("files at level " + level, state.fileCount(level))
                    .count("bytes at level " + level, state.bytes(level));
        }
        report.count("log number", state.logNumber())
                .count("previous log number", state.previousLogNumber())
                .count("next file number", state.nextFileNumber())
                .count("last sequence", state.lastSequence());
        return state;
    }
}
