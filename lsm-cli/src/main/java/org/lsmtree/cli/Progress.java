package org.lsmtree.cli;

import java.io.PrintStream;

/**
 * A progress bar on standard error for long work (verifying or dumping a big store), drawn only
 * when standard error is a terminal; piped or redirected, it writes nothing. {@link #done()} erases
 * the bar, so the output that follows starts on a clean line. Not thread-safe.
 */
final class Progress {
    private static final int WIDTH = 30;
    private final PrintStream err;
    private final boolean enabled;
    private final String label;
    private final long total;
    private int lastPercent = -1;

    private Progress(PrintStream err, boolean enabled, String label, long total) {
        this.err = err;
        this.enabled = enabled && total > 0;
        this.label = label;
        this.total = total;
    }

    /** A bar for {@code total} units of work; silent unless standard error is a terminal. */
    static Progress start(Context context, String label, long total) {
        return new Progress(context.err(), context.progress(), label, total);
    }

    /** A bar that never shows (work run where nobody watches, as in tests). */
    static Progress none() {
        return new Progress(null, false, "", 0);
    }

    /** Shows {@code done} of the total units as finished. */
    void update(long done) {
        if (!enabled) {
            return;
        }
        int percent = (int) Math.min(100, done * 100 / total);
        if (percent == lastPercent) {
            return;
        }
        lastPercent = percent;
        int filled = percent * WIDTH / 100;
        err.print("\r[" + "#".repeat(filled) + " ".repeat(WIDTH - filled) + "] " + percent + "% " + label);
        err.flush();
    }

    /** Erases the bar. */
    void done() {
        if (enabled && lastPercent >= 0) {
            err.print("\r" + " ".repeat(WIDTH + 8 + label.length()) + "\r");
            err.flush();
        }
    }
}
