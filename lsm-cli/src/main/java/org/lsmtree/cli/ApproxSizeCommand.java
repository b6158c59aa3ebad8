package org.lsmtree.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.lsmtree.format.key.InternalKey;
import org.lsmtree.format.key.InternalKeyComparator;
import org.lsmtree.format.key.ValueType;
import org.lsmtree.format.storage.NioStorage;
import org.lsmtree.manifest.FileMetadata;
import org.lsmtree.manifest.LevelState;
import org.lsmtree.sstable.TableOptions;
import org.lsmtree.sstable.TableReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code lsm approxsize <dir> [--from K] [--to K]}: about how many bytes of tables hold the keys
 * in {@code [from, to)}, as LevelDB's {@code GetApproximateSizes}: for each live table, all of it
 * when it lies wholly before a bound, none when wholly after, else the offset of the bound's data
 * block in it; the size is the difference at the two bounds. Data still in the WAL is not
 * counted. Reads the MANIFEST and the tables' indexes; opens no store, writes nothing.
 */
@Command(name = "approxsize", mixinStandardHelpOptions = true,
        description = {"About how many bytes of tables hold the keys in [from, to) (LevelDB's GetApproximateSizes).",
            "Counts tables only: data still in the WAL is not counted."})
final class ApproxSizeCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "<dir>", description = "The store directory.")
    Path directory;

    @Option(names = "--from", paramLabel = "<key>", description = "First key (inclusive; default: the first).")
    String from;

    @Option(names = "--to", paramLabel = "<key>", description = "End key (exclusive; default: past the last).")
    String to;

    @Option(names = "--json", description = "Write the result as JSON.")
    boolean json;

    private final Context context;

    ApproxSizeCommand(Context context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        StoreAccess.requireStoreDirectory(directory);
        LevelState state = StoreState.read(directory).state();
        long start = from == null ? 0 : offsetOf(state, ByteText.parseArgument(from));
        long end = to == null ? totalBytes(state) : offsetOf(state, ByteText.parseArgument(to));
        long size = Math.max(0, end - start);
        if (json) {
            context.out().println(Json.obj().put("directory", directory.toString()).put("from", from).put("to", to)
                    .put("bytes", size));
        } else {
            context.out().println(size + " bytes (approximately, in tables) for keys "
                    + (from == null ? "from the first" : "from " + from) + (to == null ? " to the last" : " up to " + to));
        }
        return ExitCodes.OK;
    }

    /** The bytes of all tables before {@code userKey}: LevelDB's ApproximateOffsetOf over every level. */
    private long offsetOf(LevelState state, byte[] userKey) throws IOException {
        byte[] key = InternalKey.encode(userKey, InternalKey.MAX_SEQUENCE, ValueType.PUT);
        InternalKeyComparator comparator = state.comparator();
        long offset = 0;
        for (int level = 0; level < LevelSummary.LEVELS; level++) {
            for (FileMetadata file : state.files(level)) {
                if (comparator.compare(file.largest(), key) <= 0) {
                    offset += file.size();
                } else if (comparator.compare(file.smallest(), key) < 0) {
                    try (TableReader table = TableReader.open(NioStorage.onDefaultFileSystem(),
                            StoreState.tableFile(directory, file.number()), TableOptions.defaults())) {
                        offset += table.approximateOffsetOf(key);
                    }
                }
            }
        }
        return offset;
    }

    private static long totalBytes(LevelState state) {
        long total = 0;
        for (int level = 0; level < LevelSummary.LEVELS; level++) {
            total += LevelSummary.bytes(state, level).min(java.math.BigInteger.valueOf(Long.MAX_VALUE)).longValue();
        }
        return total;
    }
}
