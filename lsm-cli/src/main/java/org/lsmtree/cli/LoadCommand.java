package org.lsmtree.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.lsmtree.engine.Db;
import org.lsmtree.engine.WriteOptions;
import org.lsmtree.wal.WriteBatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code lsm load <dir> [file|-]}: writes every line of the input into the store (created when
 * missing) in batches that are not synced one by one, then syncs once at the end: a bulk load
 * costs one sync, where the shell syncs every {@code SET}. Input lines are {@link RecordFormat}'s
 * ({@code key TAB value}, or {@code SET}/{@code DEL} lines). A bad line stops the load: the lines
 * before it are written and synced, and the error names the line.
 */
@Command(name = "load", mixinStandardHelpOptions = true,
        description = {"Bulk-load key TAB value lines (or SET k v / DEL k lines) into a store (created when missing).",
            "Writes in unsynced batches with one sync at the end; what `lsm dump` writes loads back exactly."})
final class LoadCommand implements Callable<Integer> {
    /** A batch is written when it holds this many bytes. */
    private static final int BATCH_BYTES = 1 << 20;

    @Parameters(index = "0", paramLabel = "<dir>", description = "The store directory.")
    Path directory;

    @Parameters(index = "1", arity = "0..1", paramLabel = "<file>", description = "The input; - or none: standard input.")
    String input;

    @Option(names = "--encoding", paramLabel = "<enc>", defaultValue = "lsm",
            description = "How key TAB value fields are written: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
    RecordFormat encoding;

    @Option(names = "--json", description = "Write the summary as JSON.")
    boolean json;

    @Mixin
    StoreOptions storeOptions;

    private final Context context;

    LoadCommand(Context context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        boolean stdin = input == null || input.equals("-");
        Path file = stdin ? null : Path.of(input);
        if (file != null) {
            InputFile.requireRegular(file);
        }
        String name = stdin ? "(standard input)" : input;
        long total = file == null ? 0 : Files.size(file);
        long puts = 0;
        long deletes = 0;
        long batches = 0;
        long lineNumber = 0;
        long bytesRead = 0;
        Progress progress = Progress.start(context, "load", total);
        try (InputStream in = stdin ? context.in() : Files.newInputStream(file);
                BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
                Db db = StoreAccess.open(directory, true, storeOptions)) {
            WriteBatch batch = new WriteBatch();
            try {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    lineNumber++;
                    bytesRead += line.length() + 1;
                    RecordFormat.Op op;
                    try {
                        op = encoding.parse(line);
                    } catch (CliException e) {
                        throw new CliException(ExitCodes.USAGE, name + ": line " + lineNumber + ": " + e.getMessage()
                                + " (" + Words.count(lineNumber - 1, "line", "lines") + " before it loaded)");
                    }
                    if (op == null) {
                        continue;
                    }
                    if (op.value() == null) {
                        batch.delete(op.key());
                        deletes++;
                    } else {
                        batch.put(op.key(), op.value());
                        puts++;
                    }
                    if (batch.approximateSize() >= BATCH_BYTES) {
                        db.write(batch, WriteOptions.noSync());
                        batches++;
                        batch = new WriteBatch();
                        progress.update(bytesRead);
                    }
                }
                if (!batch.isEmpty()) {
                    db.write(batch, WriteOptions.noSync());
                    batches++;
                }
            } catch (CliException badLine) {
                db.write(batch, WriteOptions.noSync()); // the lines before the bad one
                db.write(new WriteBatch(), WriteOptions.sync());
                throw badLine;
            } finally {
                progress.done();
            }
            db.write(new WriteBatch(), WriteOptions.sync()); // the one sync: everything written is durable
        }
        if (json) {
            context.out().println(Json.obj().put("directory", directory.toString()).put("input", name)
                    .put("lines", lineNumber).put("puts", puts).put("deletes", deletes).put("batches", batches));
        } else {
            context.out().println("loaded " + Words.count(puts, "put", "puts") + " and "
                    + Words.count(deletes, "delete", "deletes") + " from " + Words.count(lineNumber, "line", "lines")
                    + " of " + name + " in " + Words.count(batches, "batch", "batches") + ", synced");
        }
        return ExitCodes.OK;
    }
}
