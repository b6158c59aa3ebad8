package org.lsmtree.cli;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.concurrent.Callable;
import org.lsmtree.format.CorruptionException;
import org.lsmtree.format.FileType;
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
 * {@link org.lsmtree.wal.WalRecoveryMode#SKIP_ANY_CORRUPTED} would skip it, and the exit code is 1.
 */
@Command(name = "dump", mixinStandardHelpOptions = true,
        description = "Print every batch of a WAL file: offset, sequence, count and operations.")
final class WalDumpCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "<file>", description = "A WAL file (NNNNNN.log).")
    Path file;

    @Mixin
    InspectOptions options;

    private final Context context;

    WalDumpCommand(Context context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        InputFile.check(file, "wal dump", EnumSet.of(FileType.LOG));
        Storage storage = NioStorage.onDefaultFileSystem();
        boolean hex = options.hex;
        Json.Arr batches = Json.arr();
        Json.Arr problems = Json.arr();
        long entries = 0;
        long puts = 0;
        long firstSequence = -1;
        long lastSequence = -1;
        long nextSequence = -1;
        long size = storage.size(file);
        Progress progress = Progress.start(context, "wal dump", size);
        try (LogReader log = new LogReader(storage.openSequential(file), problem -> {
            problems.add(problem(problem.offset(), problem.kind().name(), problem.message(), problem.bytesDropped()));
            if (!options.json) {
                context.out().println(problemLine(problem.offset(), problem.kind().name(), problem.message(),
                        problem.bytesDropped()));
            }
        })) {
            for (byte[] record = log.readRecord(); record != null; record = log.readRecord()) {
                long offset = log.lastRecordOffset();
                progress.update(offset);
                SequencedBatch batch;
                try {
                    batch = WriteBatchCodec.INSTANCE.decode(record);
                } catch (CorruptionException e) {
                    report(problems, offset, "BAD_BATCH", "record is not a valid write batch: " + e.reason()
                            + " (at byte " + e.offset() + " of the batch)", record.length);
                    continue;
                }
                if (batch.sequence() < nextSequence) {
                    report(problems, offset, "SEQUENCE_REGRESSION", "batch sequence " + batch.sequence()
                            + " goes back below " + nextSequence, record.length);
                }
                nextSequence = batch.lastSequence() + 1;
                if (firstSequence < 0) {
                    firstSequence = batch.sequence();
                }
                lastSequence = Math.max(lastSequence, batch.lastSequence());
                entries += batch.batch().count();
                puts += batch.batch().putCount();
                batches.add(print(offset, batch, hex));
            }
        } finally {
            progress.done();
        }
        Json.Obj summary = Json.obj().put("batches", batches.size()).put("entries", entries).put("puts", puts)
                .put("deletes", entries - puts).put("firstSequence", firstSequence).put("lastSequence", lastSequence)
                .put("bytes", size).put("problems", problems.size());
        if (options.json) {
            context.out().println(Json.obj().put("file", file.toString()).put("batches", batches)
                    .put("problems", problems).put("summary", summary));
        } else {
            context.out().println("-- " + Words.count(batches.size(), "batch", "batches") + ", "
                    + Words.count(entries, "entry", "entries") + " (" + Words.count(puts, "put", "puts") + ", "
                    + Words.count(entries - puts, "delete", "deletes") + "), sequences "
                    + (firstSequence < 0 ? "none" : firstSequence + ".." + lastSequence) + ", " + size + " bytes, "
                    + Words.count(problems.size(), "problem", "problems"));
        }
        return problems.size() == 0 ? ExitCodes.OK : ExitCodes.DAMAGE;
    }

    private Json.Obj print(long offset, SequencedBatch batch, boolean hex) {
        Json.Arr ops = Json.arr();
        if (!options.json) {
            context.out().println("offset " + offset + ": seq " + batch.sequence() + ", " + batch.batch().count()
                    + (batch.batch().count() == 1 ? " op" : " ops"));
        }
        batch.batch().forEach(new WriteBatch.Handler() {
            @Override
            public void put(byte[] key, byte[] value) {
                String k = ByteText.render(key, hex);
                String v = ByteText.render(value, hex);
                ops.add(Json.obj().put("op", "PUT").put("key", k).put("value", v));
                if (!options.json) {
                    context.out().println("  PUT " + k + " = " + v);
                }
            }

            @Override
            public void delete(byte[] key) {
                String k = ByteText.render(key, hex);
                ops.add(Json.obj().put("op", "DEL").put("key", k));
                if (!options.json) {
                    context.out().println("  DEL " + k);
                }
            }
        });
        return Json.obj().put("offset", offset).put("sequence", batch.sequence()).put("count", batch.batch().count())
                .put("ops", ops);
    }

    private void report(Json.Arr problems, long offset, String kind, String message, long dropped) {
        problems.add(problem(offset, kind, message, dropped));
        if (!options.json) {
            context.out().println(problemLine(offset, kind, message, dropped));
        }
    }

    static Json.Obj problem(long offset, String kind, String message, long dropped) {
        return Json.obj().put("offset", offset).put("kind", kind).put("message", message).put("bytesDropped", dropped);
    }

    static String problemLine(long offset, String kind, String message, long dropped) {
        return "PROBLEM at offset " + offset + ": " + kind + ": " + message + " (" + dropped + " bytes dropped)";
    }
}
