package org.lsmtree.cli;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.Callable;
import org.lsmtree.format.CorruptionException;
import org.lsmtree.format.FileType;
import org.lsmtree.format.key.BytewiseComparator;
import org.lsmtree.format.key.InternalKeyComparator;
import org.lsmtree.format.log.LogReader;
import org.lsmtree.format.storage.NioStorage;
import org.lsmtree.format.storage.Storage;
import org.lsmtree.manifest.LevelState;
import org.lsmtree.manifest.VersionEdit;
import org.lsmtree.manifest.VersionEditCodec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code lsm manifest dump <file>}: every version edit with its offset, then the level state
 * the edits add up to. Damage does not stop the dump: framing problems, edits that do not decode
 * and edits that break the level state's invariants are listed where met (the edit skipped), and
 * the exit code is 3. Edits are written as they are read; memory holds
 * the level state, not the edits.
 */
@Command(name = "dump", mixinStandardHelpOptions = true,
        description = {"Print every version edit of a MANIFEST with its offset, and the level state they add up to.",
            "Files print with number and size; --verbose adds each file's key range and lists the files per level."})
final class ManifestDumpCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "<file>",
            description = "MANIFEST files (MANIFEST-NNNNNN), or directories of them.")
    List<Path> files;

    @Mixin
    InspectOptions options;

    @Option(names = {"-v", "--verbose"},
            description = "Every file with its key range (in the edits and the summary); JSON always has them.")
    boolean verbose;

    private final Context context;

    ManifestDumpCommand(Context context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        return MultiFile.run(context, files, EnumSet.of(FileType.MANIFEST), options.json, this::dump);
    }

    /** Dumps one file, its JSON object to {@code json} (null: text); returns the exit code. */
    private int dump(Path file, JsonStream json) throws Exception {
        InputFile.check(file, "manifest dump", EnumSet.of(FileType.MANIFEST));
        Storage storage = NioStorage.onDefaultFileSystem();
        Problems problems = new Problems(context.out(), options.json);
        // A store ordered by another comparator is replayed under its name, in bytewise order.
        String comparator = StoreComparator.nameIn(storage, file).orElse(BytewiseComparator.NAME);
        LevelState state = LevelState.empty(new InternalKeyComparator(comparator.equals(BytewiseComparator.NAME)
                ? BytewiseComparator.INSTANCE : StoreComparator.named(comparator)));
        String note = comparator.equals(BytewiseComparator.NAME) ? null : "the comparator '" + EditText.name(comparator)
                + "' is not LevelDB's bytewise order; key ranges are checked in bytewise order, so an order problem"
                + " may be no problem";
        if (note != null && json == null) {
            context.out().println("note: " + note);
        }
        EditText text = new EditText(options.hex, verbose);
        long edits = 0;
        if (json != null) {
            json.beginObject();
            json.field("file", file.toString());
            if (note != null) {
                json.field("note", note);
            }
            json.beginArray("edits");
        }
        try (LogReader log = new LogReader(storage.openSequential(file), problem -> problems.report(problem.offset(),
                problem.kind().name(), problem.message(), problem.bytesDropped())).withoutPreallocation()) {
            for (byte[] record = log.readRecord(); record != null; record = log.readRecord()) {
                long offset = log.lastRecordOffset();
                VersionEdit edit;
                try {
                    edit = VersionEditCodec.INSTANCE.decode(record);
                } catch (CorruptionException e) {
                    ForeignFormats.checkManifestTag(file, e);
                    problems.report(offset, "BAD_EDIT", "edit at " + offset + ", byte " + e.offset()
                            + " of its record: " + e.reason());
                    continue;
                }
                edits++;
                if (json != null) {
                    json.item(text.json(offset, edit));
                } else {
                    context.out().print(text.describe(offset, edit));
                }
                try {
                    state = state.apply(edit);
                } catch (CorruptionException e) {
                    problems.report(offset, "INVARIANT", "edit at " + offset + " skipped: " + e.reason());
                }
            }
        }
        if (!state.missingFields().isEmpty()) {
            problems.report(-1, "INCOMPLETE", "no edit sets " + String.join(", ", state.missingFields()));
        }
        if (json != null) {
            json.endArray();
            json.field("problems", problems.json());
            json.field("state", LevelSummary.json(state, options.hex));
            json.endObject();
        } else {
            context.out().println("-- " + Words.count(edits, "edit", "edits") + ", "
                    + Words.count(problems.count(), "problem", "problems") + "; the level state they add up to:");
            context.out().print(LevelSummary.text(state, options.hex, verbose));
        }
        return problems.count() == 0 ? ExitCodes.OK : ExitCodes.DAMAGE;
    }
}
