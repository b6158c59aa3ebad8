package org.lsmtree.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.function.BooleanSupplier;
import org.lsmtree.engine.Db;
import org.lsmtree.engine.DbIterator;
import org.lsmtree.engine.ReadOptions;

/**
 * A range scan shared by {@code lsm scan} and the shell's {@code SCAN}: one {@code key = value}
 * line per entry with {@code from <= key < to} (null: open), then a count line. Stateless.
 */
final class Scan {
    private Scan() {}

    static long run(Db db, byte[] from, byte[] to, long limit, boolean hex, PrintStream out) throws IOException {
        return run(db, from, to, limit, hex, out, out, () -> false);
    }

    /**
     * As above, with the count line going to {@code summary}, checking {@code cancelled} before
     * each entry: once it says true the scan stops and its count line says it was cancelled (the
     * shell's Ctrl-C). A {@code limit} of 0 means no limit.
     */
    static long run(Db db, byte[] from, byte[] to, long limit, boolean hex, PrintStream out, PrintStream summary,
            BooleanSupplier cancelled) throws IOException {
        limit = limit == 0 ? Long.MAX_VALUE : limit;
        long shown = 0;
        boolean more = false;
        boolean stopped = false;
        try (DbIterator iterator = db.iterator(ReadOptions.defaults())) {
            if (from == null) {
                iterator.seekToFirst();
            } else {
                iterator.seek(from);
            }
            for (; iterator.isValid(); iterator.next()) {
                byte[] key = iterator.key();
                if (to != null && Arrays.compareUnsigned(key, to) >= 0) {
                    break;
                }
                if (cancelled.getAsBoolean()) {
                    stopped = true;
                    break;
                }
                if (shown == limit) {
                    more = true;
                    break;
                }
                out.println(ByteText.render(key, hex) + " = " + ByteText.render(iterator.value(), hex));
                shown++;
            }
        }
        summary.println("(" + shown + (shown == 1 ? " entry" : " entries") + (more ? "; more past the limit of " + limit : "")
                + (stopped ? "; cancelled" : "")
                + ")");
        return shown;
    }
}
