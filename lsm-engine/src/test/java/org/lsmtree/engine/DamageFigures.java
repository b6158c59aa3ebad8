package org.lsmtree.engine;

import org.lsmtree.engine.DbMutationTest.CaseResult;
import org.lsmtree.engine.DbMutationTest.Outcome;
import org.lsmtree.testing.TortureReport;

/**
 * Sorts the outcome of one whole-store damage case into the figures of the torture report, per
 * file kind and in total:
 * <ul>
 *   <li><b>detected</b>: open or a read failed with an error naming a file of the store, or the
 *       store rolled back to a prefix of the writes and kept the dropped files in {@code lost/},
 *       or the damaged file's verifier reported a problem;
 *   <li><b>harmless</b>: every read gave the right data (all writes, or a prefix that the damage
 *       itself cut off: a log truncated between two records) and the verifier found nothing;
 *   <li><b>missed</b>: anything {@link Outcome#failure} - a wrong value, an untyped exception,
 *       an OutOfMemoryError, a hang, a refusal that changed files. Must stay 0.
 * </ul>
 * A detection whose message gives no byte offset is counted apart ({@code "detected without an
 * offset"}). Stateless.
 */
final class DamageFigures {
    static final String WITHOUT_OFFSET = "detected without an offset";

    private DamageFigures() {}

    /** Puts every figure at 0 in a fixed order, so that a report shows its zeros (missed above all). */
    static void start(TortureReport report, Iterable<String> kinds) {
        for (String figure : new String[] {TortureReport.DAMAGE_CASES, TortureReport.DETECTED, TortureReport.HARMLESS,
                TortureReport.MISSED, WITHOUT_OFFSET}) {
            report.add(figure, 0);
        }
        for (String kind : kinds) {
            for (String figure : new String[] {TortureReport.DETECTED, TortureReport.HARMLESS, TortureReport.MISSED}) {
                report.add(kind + ": " + figure, 0);
            }
        }
    }

    /** Whether {@code result} is a detection whose message names no byte offset. */
    static boolean withoutOffset(CaseResult result) {
        return verdict(result).equals(TortureReport.DETECTED) && !result.verifierFound()
                && !result.detail().contains(" at offset ") && result.outcome() != Outcome.ROLLED_BACK_FILES_KEPT;
    }

    /** Adds {@code result}, a case that damaged a file of kind {@code kind}, to {@code report}. */
    static void count(TortureReport report, String kind, CaseResult result) {
        String verdict = verdict(result);
        report.count(TortureReport.DAMAGE_CASES);
        report.count(verdict);
        report.count(kind + ": " + verdict);
        if (withoutOffset(result)) {
            report.count(WITHOUT_OFFSET);
        }
    }

    /** {@link TortureReport#DETECTED}, {@link TortureReport#HARMLESS} or {@link TortureReport#MISSED}. */
    static String verdict(CaseResult result) {
        if (result.outcome().failure) {
            return TortureReport.MISSED;
        }
        return switch (result.outcome()) {
            case REFUSED_AT_OPEN, READ_ERROR, ROLLED_BACK_FILES_KEPT -> TortureReport.DETECTED;
            default -> result.verifierFound() ? TortureReport.DETECTED : TortureReport.HARMLESS;
        };
    }
}
