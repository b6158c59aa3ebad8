package org.lsmtree.leveldb;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.lsmtree.engine.Db;

/**
 * LevelDB's properties, computed from the engine's:
 *
 * <ul>
 *   <li>{@code leveldb.num-files-at-level<N>}: the number of tables on level N (0 to 6), in
 *       decimal; null for another N, as LevelDB gives none.
 *   <li>{@code leveldb.stats}: LevelDB's table of levels with the columns the engine knows,
 *       {@code Level Files Size(MB)}, for each level holding tables. LevelDB adds compaction time
 *       and bytes read and written; the engine keeps no such statistics, so those columns are left
 *       out rather than shown as zeros.
 *   <li>{@code leveldb.sstables}: every level's tables, in LevelDB's text (the engine's
 *       {@code lsm.sstables}).
 *   <li>{@code leveldb.approximate-memory-usage}: the bytes the memtable holds (there is no block
 *       cache to add yet).
 *   <li>{@code lsm.*}: the engine's own properties, as {@link Db#property} gives them.
 * </ul>
 *
 * Any other name gives null. Stateless.
 */
final class LevelDbProperties {
    private static final String NUM_FILES_AT_LEVEL = "leveldb.num-files-at-level";
    private static final int LEVELS = 7;
    private static final Pattern LEVEL_HEADER = Pattern.compile("--- level (\\d+) ---");
    private static final Pattern TABLE_LINE = Pattern.compile(" \\d+:(\\d+)\\[.*");

    private LevelDbProperties() {}

    static String get(Db db, String name) {
        if (name.startsWith("lsm.")) {
            return db.property(name);
        }
        if (name.startsWith(NUM_FILES_AT_LEVEL)) {
            String digits = name.substring(NUM_FILES_AT_LEVEL.length());
            if (!digits.matches("[0-6]")) {
                return null;
            }
            return Integer.toString(levels(db).get(Integer.parseInt(digits)).files);
        }
        switch (name) {
            case "leveldb.stats":
                return stats(levels(db));
            case "leveldb.sstables":
                return db.property("lsm.sstables");
            case "leveldb.approximate-memory-usage":
                return db.property("lsm.memtable-bytes");
            default:
                return null;
        }
    }

    /** Tables and bytes of one level. */
    private static final class Level {
        int files;
        long bytes;
    }

    /** Each level's tables and bytes, read from the engine's {@code lsm.sstables}. */
    private static List<Level> levels(Db db) {
        List<Level> levels = new ArrayList<>();
        for (int i = 0; i < LEVELS; i++) {
            levels.add(new Level());
        }
        Level current = null;
        for (String line : db.property("lsm.sstables").split("\n")) {
            Matcher header = LEVEL_HEADER.matcher(line);
            Matcher table = TABLE_LINE.matcher(line);
            if (header.matches()) {
                current = levels.get(Integer.parseInt(header.group(1)));
            } else if (table.matches() && current != null) {
                current.files++;
                current.bytes += Long.parseLong(table.group(1));
            } else if (!line.isEmpty()) {
                throw new IllegalStateException("unexpected line in lsm.sstables: " + line);
            }
        }
        return levels;
    }

    private static String stats(List<Level> levels) {
        StringBuilder text = new StringBuilder();
        text.append("Level  Files Size(MB)\n");
        text.append("---------------------\n");
        for (int i = 0; i < levels.size(); i++) {
            Level level = levels.get(i);
            if (level.files > 0) {
                text.append(String.format(Locale.ROOT, "%3d %8d %8.0f\n", i, level.files, level.bytes / 1048576.0));
            }
        }
        return text.toString();
    }
}
