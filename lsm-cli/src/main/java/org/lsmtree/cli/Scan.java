package org.lsmtree.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.function.BooleanSupplier;
import org.lsmtree.engine.Db;
import org.lsmtree.engine.DbIterator;
import org.lsmtree.engine.ReadOptions;

/**
 * A range scan shared by {@code lsm scan} and the shell's {@code SCAN}: the entries with
 * {@code from <= key < to} (null: open) and under {@code prefix} (null: any), one line each, then
 * a count line. Stateless.
 */
final class Scan {
    /** How entries print: {@code key = value} by {@link ByteText}, keys alone, or raw bytes; or only counted. */
    record Format(boolean hex, boolean utf8, boolean keysOnly, boolean raw, boolean countOnly) {
        static final Format DEFAULT = new Format(false, false, false, false, false);
    }

    private Scan() {}

    /**
     * Prints the entries of the range to {@code out} and the count line to {@code summary},
     * checking {@code cancelled} before each entry: once it says true the scan stops and its count
     * line says it was cancelled (the shell's Ctrl-C). A {@code limit} of 0 means no limit.
     */
    static long run(Db db, byte[] from, byte[] to, byte[] prefix, long limit, Format format, PrintStream out,
            PrintStream summary, BooleanSupplier cancelled) throws IOException {
        long max = limit == 0 ? Long.MAX_VALUE : limit;
        long[] shown = {0};
        boolean[] more = {false};
        boolean[] stopped = {false};
        forEach(db, from, to, prefix, (key, value) -> {
            if (cancelled.getAsBoolean()) {
                stopped[0] = true;
                return false;
            }
            if (shown[0] == max) {
                more[0] = true;
                return false;
            }
            print(key, format.keysOnly() || format.countOnly() ? null : value.get(), format, out);
            shown[0]++;
            return true;
        });
        String count = Words.count(shown[0], "entry", "entries") + (more[0] ? "; more past the limit of " + limit : "")
                + (stopped[0] ? "; cancelled" : "");
        if (format.countOnly()) {
            out.println(count);
        } else {
            summary.println("(" + count + ")");
        }
        return shown[0];
    }

    /** Receives each entry of a range; its value is read only when asked for. */
    interface Visitor {
        /** Returns false to stop. */
        boolean visit(byte[] key, ValueSupplier value) throws IOException;
    }

    /** The value of the entry being visited. */
    interface ValueSupplier {
        byte[] get();
    }

    /**
     * Visits, in key order, the entries with {@code from <= key < to} (null: open) whose key
     * starts with {@code prefix} (null: any), until {@code visitor} says stop. Reads without
     * filling the block cache (LevelDB's {@code fill_cache} off): a tool's scan passes once.
     */
    static void forEach(Db db, byte[] from, byte[] to, byte[] prefix, Visitor visitor) throws IOException {
        try (DbIterator iterator = db.iterator(ReadOptions.defaults().withFillCache(false))) {
            byte[] start = from;
            if (prefix != null && (start == null || Arrays.compareUnsigned(prefix, start) > 0)) {
                start = prefix;
            }
            if (start == null) {
                iterator.seekToFirst();
            } else {
                iterator.seek(start);
            }
            for (; iterator.isValid(); iterator.next()) {
                byte[] key = iterator.key();
                if (to != null && Arrays.compareUnsigned(key, to) >= 0 || prefix != null && !startsWith(key, prefix)
                        || !visitor.visit(key, iterator::value)) {
                    return;
                }
            }
        }
    }

    private static void print(byte[] key, byte[] value, Format format, PrintStream out) {
        if (format.countOnly()) {
            return;
        }
        if (format.raw()) {
            out.write(key, 0, key.length);
            if (value != null) {
                out.write('\t');
                out.write(value, 0, value.length);
            }
            out.write('\n');
            return;
        }
        String shownKey = ByteText.render(key, format.hex(), format.utf8());
        out.println(value == null ? shownKey : shownKey + " = " + ByteText.render(value, format.hex(), format.utf8()));
    }

    static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }
}
