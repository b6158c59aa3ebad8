package org.lsmtree.bench;

/**
 * One workload on one engine in one round, as the engine's JVM measured it. A figure that does not
 * apply is null. Found counts travel with the speed so that a store that loses data cannot look
 * fast: {@code found} (reads that found their key, seeks that landed on theirs) is checked against
 * {@code expected} from the runner's own model of what was written.
 *
 * @param step position in --benchmarks (0-based; a workload may come twice)
 * @param nanos wall time of the timed part
 * @param bytes user bytes moved (keys and values written or read)
 * @param entries entries seen by scans and seeks
 * @param writeAmplification bytes the process wrote to disk / user bytes written (writes only)
 * @param spaceAmplification bytes in the store's directory / live user bytes (writes only)
 * @param note why there is no figure (the engine cannot do the workload), else null
 */
record Measurement(int step, String workload, String engine, long ops, long nanos, long bytes, Long found,
        Long expected, Long entries, Double writeAmplification, Double spaceAmplification, String note) {

    static Measurement unsupported(int step, Workload workload, String engine, String why) {
        return new Measurement(step, workload.label(), engine, 0, 0, 0, null, null, null, null, null,
                "unsupported: " + why);
    }

    /** A peer engine that threw while running {@code workload}: shown in the table instead of a figure. */
    static Measurement failed(int step, Workload workload, String engine, String why) {
        return new Measurement(step, workload.label(), engine, 0, 0, 0, null, null, null, null, null,
                "failed: " + why);
    }

    boolean measured() {
        return note == null && ops > 0 && nanos > 0;
    }

    double opsPerSecond() {
        return measured() ? ops * 1e9 / nanos : Double.NaN;
    }

    double microsPerOp() {
        return measured() ? nanos / 1e3 / ops : Double.NaN;
    }

    double megabytesPerSecond() {
        return measured() ? bytes * 1e9 / nanos / (1 << 20) : Double.NaN;
    }
}
