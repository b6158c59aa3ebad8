package org.lsmtree.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.lsmtree.engine.Db;
import org.lsmtree.format.CorruptionException;
import org.lsmtree.manifest.LevelState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code lsm property <dir> <name>}: a property of the store, opened read-only: the engine's
 * ({@code lsm.stats}, {@code lsm.last-sequence}, {@code lsm.memtable-bytes},
 * {@code lsm.open-snapshots}) and LevelDB's names people know ({@code leveldb.stats},
 * {@code leveldb.num-files-at-levelN}, {@code leveldb.sstables}), the latter from the MANIFEST.
 */
@Command(name = "property", mixinStandardHelpOptions = true,
        description = {"Print a property of the store: lsm.stats, lsm.last-sequence, lsm.memtable-bytes,",
            "lsm.open-snapshots, leveldb.stats, leveldb.num-files-at-level<N>, leveldb.sstables."})
final class PropertyCommand implements Callable<Integer> {
    static final List<String> NAMES = List.of("lsm.stats", "lsm.last-sequence", "lsm.memtable-bytes",
            "lsm.open-snapshots", "leveldb.stats", "leveldb.num-files-at-level<N>", "leveldb.sstables");
    private static final Pattern FILES_AT_LEVEL = Pattern.compile("leveldb\\.num-files-at-level(\\d+)");

    @Parameters(index = "0", paramLabel = "<dir>", description = "The store directory.")
    Path directory;

    @Parameters(index = "1", paramLabel = "<name>", description = "The property's name.")
    String name;

    @Option(names = "--json", description = "Write {name, value} as JSON.")
    boolean json;

    @Mixin
    StoreOptions storeOptions;

    private final Context context;

    PropertyCommand(Context context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        String value;
        try (Db db = StoreAccess.openReadOnly(directory, storeOptions)) {
            value = value(db);
        } catch (CorruptionException e) {
            throw StoreAccess.explain(directory, e);
        }
        if (value == null) {
            throw new CliException(ExitCodes.USAGE, "unknown property '" + Words.cut(name, 100) + "'; known: "
                    + String.join(", ", NAMES));
        }
        if (json) {
            context.out().println(Json.obj().put("name", name).put("value", value.stripTrailing()));
        } else {
            context.out().println(value.stripTrailing());
        }
        return ExitCodes.OK;
    }

    private String value(Db db) throws java.io.IOException {
        if (name.equals("leveldb.stats")) {
            return db.property("lsm.stats");
        }
        Matcher level = FILES_AT_LEVEL.matcher(name);
        if (level.matches()) {
            int n = Integer.parseInt(level.group(1));
            return n < LevelSummary.LEVELS ? Integer.toString(StoreState.read(directory).state().fileCount(n)) : null;
        }
        if (name.equals("leveldb.sstables")) {
            LevelState state = StoreState.read(directory).state();
            return LevelSummary.text(state, false);
        }
        return db.property(name);
    }
}
