package org.lsmtree.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.lsmtree.engine.Db;
import org.lsmtree.format.CorruptionException;
import org.lsmtree.manifest.LevelState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code lsm compact <dir> [--from K] [--to K]}: compacts the key range (all keys by default)
 * down the levels ({@code Db.compactRange}) and prints the tables per level before (once the
 * open has turned the WALs into a table) and after.
 */
@Command(name = "compact", mixinStandardHelpOptions = true,
        description = "Compact a key range (all keys by default) and print the tables per level before and after.")
final class CompactCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "<dir>", description = "The store directory.")
    Path directory;

    @Option(names = "--from", paramLabel = "<key>", description = "First key of the range (inclusive).")
    String from;

    @Option(names = "--to", paramLabel = "<key>", description = "Last key of the range (inclusive, as LevelDB's CompactRange).")
    String to;

    @Option(names = "--json", description = "Write the levels before and after as JSON.")
    boolean json;

    @Mixin
    StoreOptions storeOptions;

    private final Context context;

    CompactCommand(Context context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        byte[] begin = from == null ? null : ByteText.parseArgument(from);
        byte[] end = to == null ? null : ByteText.parseArgument(to);
        LevelState before;
        try (Db db = StoreAccess.open(directory, false, storeOptions)) {
            before = levels();
            db.compactRange(begin, end);
        } catch (CorruptionException e) {
            throw StoreAccess.explain(directory, e);
        }
        LevelState after = levels();
        String range = from == null && to == null ? "all keys"
                : (from == null ? "the first key" : from) + " .. " + (to == null ? "the last key" : to);
        if (json) {
            context.out().println(Json.obj().put("directory", directory.toString())
                    .put("from", from).put("to", to).put("before", counts(before)).put("after", counts(after)));
        } else {
            context.out().println("compacted " + range);
            context.out().println("  before: " + text(before));
            context.out().println("  after:  " + text(after));
        }
        return ExitCodes.OK;
    }

    /** The level state the store's MANIFEST records now. */
    private LevelState levels() throws IOException {
        return StoreState.read(directory).state();
    }

    private static String text(LevelState state) {
        StringBuilder text = new StringBuilder();
        for (int level = 0; level < LevelSummary.LEVELS; level++) {
            if (state.fileCount(level) > 0) {
                text.append(text.length() == 0 ? "" : "; ").append("level ").append(level).append(": ")
                        .append(Words.count(state.fileCount(level), "file", "files")).append(", ")
                        .append(LevelSummary.bytes(state, level)).append(" bytes");
            }
        }
        return text.length() == 0 ? "no tables" : text.toString();
    }

    private static Json.Arr counts(LevelState state) {
        Json.Arr levels = Json.arr();
        for (int level = 0; level < LevelSummary.LEVELS; level++) {
            if (state.fileCount(level) > 0) {
                levels.add(Json.obj().put("level", level).put("files", state.fileCount(level))
                        .put("bytes", LevelSummary.bytes(state, level)));
            }
        }
        return levels;
    }
}
