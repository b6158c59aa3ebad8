package org.lsmtree.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.lsmtree.format.VerificationReport;
import org.lsmtree.format.VerificationReport.Problem;

/**
 * What {@code lsm verify} says about one file or store: the verifier's counts, the problems (they
 * make the exit code 3), the warnings (listed, exit 0: leftovers LevelDB itself deletes or
 * ignores) and notes (how the check was made). Immutable.
 */
record Verdict(String file, Map<String, Long> counts, List<Problem> problems, List<Problem> warnings,
        List<String> notes) {

    /** Every problem of {@code report} stays a problem. */
    static Verdict of(VerificationReport report) {
        return of(report, p -> false);
    }

    /** The problems of {@code report} that {@code isWarning} picks become warnings. */
    static Verdict of(VerificationReport report, Predicate<Problem> isWarning) {
        List<Problem> problems = new ArrayList<>();
        List<Problem> warnings = new ArrayList<>();
        for (Problem problem : report.problems()) {
            (isWarning.test(problem) ? warnings : problems).add(problem);
        }
        return new Verdict(report.file(), report.counts(), List.copyOf(problems), List.copyOf(warnings), List.of());
    }

    /** This verdict with {@code more} problems and a {@code note} (null for none) added. */
    Verdict with(List<Problem> more, String note) {
        List<Problem> all = new ArrayList<>(problems);
        all.addAll(more);
        List<String> allNotes = new ArrayList<>(notes);
        if (note != null) {
            allNotes.add(note);
        }
        return new Verdict(file, counts, List.copyOf(all), warnings, List.copyOf(allNotes));
    }

    boolean isClean() {
        return problems.isEmpty();
    }
}
