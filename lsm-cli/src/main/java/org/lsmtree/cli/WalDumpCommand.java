package org.lsmtree.cli;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.Callable;
import org.lsmtree.format.CorruptionException;
import org.lsmtree.format.FileType;
import org.lsmtree.format.log.LogFormat;
import org.lsmtree.format.log.LogReader;
import org.lsmtree.format.storage.NioStorage;
import org.lsmtree.format.storage.Storage;
import org.lsmtree.wal.SequencedBatch;
import org.lsmtree.wal.WriteBatch;
import org.lsmtree.wal.WriteBatchCodec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code lsm wal dump <file>}: every batch of a WAL with its offset, sequence, count and
 * operations, then a summary. Damage does not stop the dump: each problem (framing, a record
 * that is no batch, a sequence going backwards) is listed where it was met, as
 * {@link org.lsmtree.wal.WalRecoveryMode#SKIP_ANY_CORRUPTED} would skip it, and the exit code is 3.
 * Batches are written as they are read (text and JSON alike): memory holds one record, whatever
 * the size of the log. The zeros a preallocating writer leaves after the last record when its
 * process dies are no problem: the summary names them as unused bytes.
 */
@Command(name = "dump", mixinStandardHelpOptions = true,
        description = "Print every batch of a WAL file: offset, sequence, count and operations.")
final class WalDumpCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "<file>", description = "WAL files (NNNNNN.log), or directories of them.")
    List<Path> files;

    @Mixin
    InspectOptions options;

    private final Context context;

    WalDumpCommand(Context context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        return MultiFile.run(context, files, EnumSet.of(FileType.LOG), options.json, this::dump);
    }

    /** Dumps one file, its JSON object to {@code json} (null: text); returns the exit code. */
    private int dump(Path file, JsonStream json) throws Exception {
        InputFile.check(file, "wal dump", EnumSet.of(FileType.LOG));
        Storage storage = NioStorage.onDefaultFileSystem();
        boolean hex = options.hex;
        Problems problems = new Problems(context.out(), options.json);
        long batches = 0;
        long entries = 0;
        long puts = 0;
        long firstSequence = -1;
        long lastSequence = -1;
        long nextSequence = -1;
        long size = storage.size(file);
        if (json != null) {
            json.beginObject();
            json.field("file", file.toString());
            json.beginArray("batches");
        }
        Progress progress = Progress.start(context, "wal dump", size);
        long unused;
        try (LogReader log = new LogReader(storage.openRandomRead(file), problem -> problems.report(problem.offset(),
                problem.kind().name(), problem.message(), problem.bytesDropped()), LogFormat.DEFAULT_MAX_RECORD_SIZE)) {
            for (byte[] record = log.readRecord(); record != null; record = log.readRecord()) {
                long offset = log.lastRecordOffset();
                progress.update(offset);
                SequencedBatch batch;
                try {
                    batch = WriteBatchCodec.INSTANCE.decode(record);
                } catch (CorruptionException e) {
                    problems.report(offset, "BAD_BATCH", "record is not a valid write batch: " + e.reason()
                            + " (at byte " + e.offset() + " of the batch)", (long) record.length);
                    continue;
                }
                if (batch.sequence() < nextSequence) {
                    problems.report(offset, "SEQUENCE_REGRESSION", "batch sequence " + batch.sequence()
                            + " goes back below " + nextSequence, (long) record.length);
                }
                nextSequence = batch.lastSequence() + 1;
                if (firstSequence < 0) {
                    firstSequence = batch.sequence();
                }
                lastSequence = Math.max(lastSequence, batch.lastSequence());
                entries += batch.batch().count();
                puts += batch.batch().putCount();
                batches++;
                Json.Obj printed = print(offset, batch, hex);
                if (json != null) {
                    json.item(printed);
                }
            }
            unused = log.unusedPreallocation();
        } finally {
            progress.done();
        }
        if (json != null) {
            json.endArray();
            Json.Obj summary = Json.obj().put("batches", batches).put("entries", entries).put("puts", puts)
                    .put("deletes", entries - puts).put("firstSequence", firstSequence < 0 ? null : firstSequence)
                    .put("lastSequence", lastSequence < 0 ? null : lastSequence).put("bytes", size)
                    .put("problemCount", problems.count());
            if (unused > 0) {
                summary.put("unusedPreallocatedBytes", unused);
            }
            json.field("problems", problems.json());
            json.field("summary", summary);
            json.endObject();
        } else {
            context.out().println("-- " + Words.count(batches, "batch", "batches") + ", "
                    + Words.count(entries, "entry", "entries") + " (" + Words.count(puts, "put", "puts") + ", "
                    + Words.count(entries - puts, "delete", "deletes") + "), sequences "
                    + (firstSequence < 0 ? "none" : firstSequence + ".." + lastSequence) + ", " + size + " bytes"
                    + (unused > 0 ? " (the last " + unused + " unused: zeros a preallocating writer left)" : "") + ", "
                    + Words.count(problems.count(), "problem", "problems"));
        }
        return problems.count() == 0 ? ExitCodes.OK : ExitCodes.DAMAGE;
    }

    /** Prints the batch in text mode; returns it as JSON (built only when JSON is asked for). */
    private Json.Obj print(long offset, SequencedBatch batch, boolean hex) {
        Json.Arr ops = options.json ? Json.arr() : null;
        if (!options.json) {
            context.out().println("offset " + offset + ": seq " + batch.sequence() + ", " + batch.batch().count()
                    + (batch.batch().count() == 1 ? " op" : " ops"));
        }
        batch.batch().forEach(new WriteBatch.Handler() {
            @Override
            public void put(byte[] key, byte[] value) {
                String k = ByteText.render(key, hex);
                String v = ByteText.render(value, hex);
                if (options.json) {
                    ops.add(Json.obj().put("op", "PUT").put("key", k).put("value", v));
                } else {
                    context.out().println("  PUT " + k + " = " + v);
                }
            }

            @Override
            public void delete(byte[] key) {
                String k = ByteText.render(key, hex);
                if (options.json) {
                    ops.add(Json.obj().put("op", "DEL").put("key", k));
                } else {
                    context.out().println("  DEL " + k);
                }
            }
        });
        return options.json ? Json.obj().put("offset", offset).put("sequence", batch.sequence())
                .put("count", batch.batch().count()).put("ops", ops) : null;
    }
}
