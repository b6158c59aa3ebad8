package org.lsmtree.kafka;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.lsmtree.engine.BlockCache;
import org.lsmtree.engine.Db;

/**
 * The figures {@link StoreMetrics} reports, read from engine stores' properties ({@code Db#property})
 * and summed over several stores. An engine store closed meanwhile counts 0. The block-cache and
 * stall figures come from the lines {@code lsm.block-cache} and {@code lsm.stats} print
 * ({@value #CACHE_LINE}, {@value #STALL_LINE}); a line of another shape counts 0. Stateless;
 * thread-safe.
 */
final class EngineFigures {
    static final String CACHE_LINE = "block cache: <used> of <capacity> bytes used, <hits> hits, <misses> misses ...";
    static final String STALL_LINE = "stalls: ... <seconds> s in all";
    private static final Pattern CACHE = Pattern.compile(
            "block cache: (\\d+) of (\\d+) bytes used, (\\d+) hits, (\\d+) misses");
    private static final Pattern STALLS = Pattern.compile("stalls: .*?(\\d+)[.,](\\d+) s in all");

    /** A block cache's figures. */
    record Cache(long usedBytes, long capacity, long hits, long misses) {
        Cache plus(Cache other) {
            return new Cache(usedBytes + other.usedBytes, capacity + other.capacity, hits + other.hits,
                    misses + other.misses);
        }

        /** Hits over reads, 0 before any read. */
        double hitRatio() {
            long reads = hits + misses;
            return reads == 0 ? 0 : (double) hits / reads;
        }
    }

    private EngineFigures() {}

    /** The property {@code name} of every store in {@code engines}, read as a whole number, summed. */
    static long sum(List<Db> engines, String name) {
        long total = 0;
        for (Db engine : engines) {
            String value = property(engine, name);
            if (value != null && !value.isEmpty()) {
                total += Long.parseLong(value.trim());
            }
        }
        return total;
    }

    /** How many of {@code engines} are in background-error state. */
    static long backgroundErrors(List<Db> engines) {
        long errors = 0;
        for (Db engine : engines) {
            String value = property(engine, "lsm.background-error");
            if (value != null && !value.isEmpty()) {
                errors++;
            }
        }
        return errors;
    }

    /** Milliseconds the writers of {@code engines} have stalled, summed. */
    static double stallMillis(List<Db> engines) {
        double millis = 0;
        for (Db engine : engines) {
            String stats = property(engine, "lsm.stats");
            Matcher matcher = stats == null ? null : STALLS.matcher(stats);
            if (matcher != null && matcher.find()) {
                millis += Double.parseDouble(matcher.group(1) + "." + matcher.group(2)) * 1000;
            }
        }
        return millis;
    }

    /** {@code shared}'s figures when the stores share it, else the sum of each store's own cache. */
    static Cache cache(List<Db> engines, BlockCache shared) {
        if (shared != null) {
            return new Cache(shared.usedBytes(), shared.capacity(), shared.hits(), shared.misses());
        }
        Cache total = new Cache(0, 0, 0, 0);
        for (Db engine : engines) {
            total = total.plus(parseCache(property(engine, "lsm.block-cache")));
        }
        return total;
    }

    /** The figures of a {@code lsm.block-cache} line; all 0 for a cache that is off or a line of another shape. */
    static Cache parseCache(String line) {
        Matcher matcher = line == null ? null : CACHE.matcher(line);
        if (matcher == null || !matcher.find()) {
            return new Cache(0, 0, 0, 0);
        }
        return new Cache(Long.parseLong(matcher.group(1)), Long.parseLong(matcher.group(2)),
                Long.parseLong(matcher.group(3)), Long.parseLong(matcher.group(4)));
    }

    private static String property(Db engine, String name) {
        try {
            return engine.property(name);
        } catch (IllegalStateException closed) {
            return null;
        }
    }
}
