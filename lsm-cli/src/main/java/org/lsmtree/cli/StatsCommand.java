package org.lsmtree.cli;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.lsmtree.format.FileNames;
import org.lsmtree.format.FileType;
import org.lsmtree.format.storage.NioStorage;
import org.lsmtree.format.storage.Storage;
import org.lsmtree.manifest.LevelState;
import org.lsmtree.manifest.ManifestReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code lsm stats <dir>}: what a store holds, without opening it: the MANIFEST {@code CURRENT}
 * names replayed (a torn last edit dropped, as LevelDB does) into the level state, plus the
 * files in the directory by kind. Nothing is written, and a store in use by another process can
 * be read.
 */
@Command(name = "stats", mixinStandardHelpOptions = true,
        description = "Summarize a store without opening it: levels, files, sequence, and the files by kind.")
final class StatsCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "<dir>", description = "A store directory.")
    Path directory;

    @Mixin
    InspectOptions options;

    private final Context context;

    StatsCommand(Context context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        StoreAccess.requireStoreDirectory(directory);
        Storage storage = NioStorage.onDefaultFileSystem();
        StoreState.Read read = StoreState.read(directory);
        String manifestName = read.manifest();
        ManifestReader.Replay replay = read.replay();
        LevelState state = replay.state();
        Map<FileType, long[]> kinds = new EnumMap<>(FileType.class);
        for (Path file : storage.list(directory)) {
            Optional<FileNames.Parsed> parsed = FileNames.parse(file);
            if (parsed.isPresent()) {
                long[] countAndBytes = kinds.computeIfAbsent(parsed.get().type(), k -> new long[2]);
                countAndBytes[0]++;
                countAndBytes[1] += storage.size(file);
            }
        }
        if (options.json) {
            Json.Obj files = Json.obj();
            kinds.forEach((kind, cb) -> files.put(kind.name().toLowerCase(java.util.Locale.ROOT),
                    Json.obj().put("count", cb[0]).put("bytes", cb[1])));
            context.out().println(Json.obj().put("directory", directory.toString()).put("manifest", manifestName)
                    .put("edits", replay.edits()).put("tornTailDropped", replay.droppedTail().isPresent())
                    .put("state", LevelSummary.json(state, options.hex)).put("files", files));
            return ExitCodes.OK;
        }
        context.out().println("store " + directory + ": " + manifestName + " (" + Words.count(replay.edits(), "edit", "edits")
                + replay.droppedTail().map(t -> "; torn last edit dropped").orElse("") + ")");
        context.out().print(LevelSummary.text(state, options.hex));
        context.out().println("files in the directory:");
        kinds.forEach((kind, cb) -> context.out().println(String.format("  %-14s %4d  %10d bytes",
                kind.name().toLowerCase(java.util.Locale.ROOT), cb[0], cb[1])));
        return ExitCodes.OK;
    }
}
