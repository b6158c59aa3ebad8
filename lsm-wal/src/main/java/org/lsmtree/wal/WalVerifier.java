package org.lsmtree.wal;

import java.io.IOException;
import java.nio.file.Path;
import org.lsmtree.format.VerificationReport;
import org.lsmtree.format.Verifier;
import org.lsmtree.format.storage.Storage;

/**
 * Checks a whole WAL file and reports every problem: the record framing (checksums, lengths,
 * fragment order, trailers, tail), every batch's structure, and sequence order across batches.
 * Zeros a preallocating writer left after the last record are no problem: they are counted as
 * {@code unused preallocated bytes} (a count given only when there are some).
 * Reads as {@link WalRecoveryMode#SKIP_ANY_CORRUPTED} does, so one problem never hides the next.
 * The counts are those of {@link WalSummary}. Stateless and thread-safe.
 */
public final class WalVerifier implements Verifier {

    @Override
    public VerificationReport verify(Storage storage, Path file) throws IOException {
        VerificationReport.Builder report = VerificationReport.builder(file.toString())
                .checked("log framing: masked CRC32C, lengths, fragment order, block trailers, tail")
                .checked("each record is a write batch: header, tags, lengths within the record, count")
                .checked("sequences never go backwards from batch to batch");
        WalSummary summary;
        try (WalReader reader = WalReader.open(storage, file, WalRecoveryMode.SKIP_ANY_CORRUPTED)) {
            while (reader.next() != null) {
                // every batch is counted by the reader
            }
            for (WalProblem problem : reader.problems()) {
                report.problem(problem.offset(), problem.kind().name(),
                        problem.message() + " (" + problem.bytesDropped() + " bytes dropped)");
            }
            summary = reader.summary();
        }
        report.count("records", summary.records())
                .count("batches", summary.batches())
                .count("entries", summary.entries())
                .count("puts", summary.puts())
                .count("deletes", summary.deletes())
                .count("first sequence", summary.firstSequence())
                .count("last sequence", summary.lastSequence())
                .count("bytes", summary.bytes())
                .count("bytes dropped", summary.bytesDropped());
        if (summary.unusedPreallocation() > 0) {
            report.count("unused preallocated bytes", summary.unusedPreallocation());
        }
        return report.build();
    }
}
