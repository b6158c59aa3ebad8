package org.lsmtree.format.log;

import java.io.IOException;
import java.nio.file.Path;
import org.lsmtree.format.VerificationReport;
import org.lsmtree.format.Verifier;
import org.lsmtree.format.storage.Storage;

/**
 * Checks the record framing of a whole log file (a WAL or a MANIFEST) without interpreting the
 * records: every fragment's checksum and length, fragment order, block trailers, and the tail.
 * Every {@link LogProblem} becomes a report problem of the same kind (a record larger than
 * {@link LogFormat#DEFAULT_MAX_RECORD_SIZE} too, read through without being kept). The WAL and MANIFEST
 * verifiers add their own checks of what the records hold. Zeros a preallocating writer left after
 * the last record are no problem; they are counted ({@code unused preallocated bytes}, given only
 * when there are some). Stateless and thread-safe.
 */
public final class LogVerifier implements Verifier {

    @Override
    public VerificationReport verify(Storage storage, Path file) throws IOException {
        VerificationReport.Builder report = VerificationReport.builder(file.toString())
                .checked("masked CRC32C of every fragment")
                .checked("fragment lengths within their 32 KiB blocks")
                .checked("fragment order (FULL, or FIRST MIDDLE* LAST)")
                .checked("zeroed block trailers")
                .checked("end of file on a record boundary");
        long records = 0;
        long payloadBytes = 0;
        long largest = 0;
        long dropped = 0;
        long unused;
        ProblemCollector problems = new ProblemCollector(report);
        try (LogReader reader = new LogReader(storage.openRandomRead(file), problems,
                LogFormat.DEFAULT_MAX_RECORD_SIZE)) {
            for (byte[] record = reader.readRecord(); record != null; record = reader.readRecord()) {
                records++;
                payloadBytes += record.length;
                largest = Math.max(largest, record.length);
            }
            dropped = problems.bytesDropped;
            unused = reader.unusedPreallocation();
        }
        report.count("bytes", storage.size(file))
                .count("records", records)
                .count("payload bytes", payloadBytes)
                .count("largest record", largest)
                .count("bytes dropped", dropped);
        if (unused > 0) {
            report.count("unused preallocated bytes", unused);
        }
        return report.build();
    }

    /** Turns log problems into report problems and adds up the bytes dropped. */
    private static final class ProblemCollector implements LogReporter {
        private final VerificationReport.Builder report;
        private long bytesDropped;

        ProblemCollector(VerificationReport.Builder report) {
            this.report = report;
        }

        @Override
        public void report(LogProblem problem) {
            bytesDropped += problem.bytesDropped();
            report.problem(problem.offset(), problem.kind().name(),
                    problem.message() + " (" + problem.bytesDropped() + " bytes dropped)");
        }
    }
}
