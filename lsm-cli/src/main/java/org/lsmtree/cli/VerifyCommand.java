package org.lsmtree.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.lsmtree.format.FileNames;
import org.lsmtree.format.FileType;
import org.lsmtree.format.VerificationReport;
import org.lsmtree.format.storage.NioStorage;
import org.lsmtree.format.storage.Storage;
import org.lsmtree.manifest.ManifestVerifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code lsm verify <dir|file>}: a file is checked by the verifier of its type, told by its name
 * ({@link FileNames#parse}) or by {@code --type}; a directory is checked as a whole store (the
 * MANIFEST {@code CURRENT} names, missing and orphaned files) and then every table and log in
 * it. Exit 3 when anything is found. Nothing is written.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Check a store directory or one file and report every problem found (exit 3 if any).",
            "A file's kind comes from its name (NNNNNN.log, NNNNNN.ldb/.sst, MANIFEST-NNNNNN, CURRENT) or --type."})
final class VerifyCommand implements Callable<Integer> {
    /** The kinds {@code --type} accepts. */
    enum Kind { log, table, manifest }

    @Parameters(index = "0", paramLabel = "<dir|file>", description = "A store directory or one of its files.")
    Path path;

    @Option(names = "--type", paramLabel = "<kind>", description = "Read the file as: ${COMPLETION-CANDIDATES}.")
    Kind type;

    @Mixin
    InspectOptions options;

    private final Context context;

    VerifyCommand(Context context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        if (!Files.exists(path)) {
            throw new NoSuchFileException(path.toString());
        }
        Storage storage = NioStorage.onDefaultFileSystem();
        List<VerificationReport> reports = new ArrayList<>();
        if (Files.isDirectory(path)) {
            reports.add(new ManifestVerifier().verifyStore(storage, path).report());
            List<Path> files = new ArrayList<>();
            for (Path file : storage.list(path)) {
                Optional<FileType> kind = FileNames.parse(file).map(FileNames.Parsed::type);
                if (kind.isPresent() && kind.get() != FileType.MANIFEST && kind.get() != FileType.CURRENT
                        && Verifiers.forType(kind.get()) != null) {
                    files.add(file);
                }
            }
            files.sort(null);
            Progress progress = Progress.start(context, "verify", files.size());
            for (int i = 0; i < files.size(); i++) {
                Path file = files.get(i);
                reports.add(Verifiers.forType(FileNames.parse(file).get().type()).verify(storage, file));
                progress.update(i + 1);
            }
            progress.done();
        } else {
            reports.add(verifyFile(storage));
        }
        print(reports);
        return reports.stream().allMatch(VerificationReport::isClean) ? ExitCodes.OK : ExitCodes.DAMAGE;
    }

    private VerificationReport verifyFile(Storage storage) throws IOException {
        FileType kind;
        if (type != null) {
            kind = switch (type) {
                case log -> FileType.LOG;
                case table -> FileType.TABLE;
                case manifest -> FileType.MANIFEST;
            };
        } else {
            kind = FileNames.parse(path).map(FileNames.Parsed::type).orElseThrow(() -> new CliException(ExitCodes.USAGE,
                    path + ": cannot tell the kind of file from its name; give --type log|table|manifest"));
        }
        Verifiers.FileVerifier verifier = Verifiers.forType(kind);
        if (verifier == null) {
            throw new CliException(ExitCodes.USAGE, path + ": is a " + InputFile.kindName(kind)
                    + ", which has nothing to verify");
        }
        return verifier.verify(storage, path);
    }

    private void print(List<VerificationReport> reports) {
        long problems = reports.stream().mapToLong(r -> r.problems().size()).sum();
        if (options.json) {
            Json.Arr files = Json.arr();
            for (VerificationReport report : reports) {
                Json.Obj counts = Json.obj();
                report.counts().forEach(counts::put);
                Json.Arr list = Json.arr();
                report.problems().forEach(p -> list.add(Json.obj().put("offset", p.offset()).put("kind", p.kind())
                        .put("message", p.message())));
                files.add(Json.obj().put("file", report.file()).put("clean", report.isClean()).put("counts", counts)
                        .put("problems", list));
            }
            context.out().println(Json.obj().put("path", path.toString()).put("clean", problems == 0)
                    .put("problems", problems).put("files", files));
            return;
        }
        for (VerificationReport report : reports) {
            StringBuilder line = new StringBuilder(report.file()).append(": ")
                    .append(report.isClean() ? "OK" : Words.count(report.problems().size(), "problem", "problems"));
            StringBuilder counts = new StringBuilder();
            report.counts().entrySet().stream().filter(c -> !(c.getKey().contains(" at level ") && c.getValue() == 0))
                    .forEach(c -> counts.append(counts.length() == 0 ? "" : ", ").append(c.getKey()).append('=')
                            .append(c.getValue()));
            if (counts.length() > 0) {
                line.append(" (").append(counts).append(')');
            }
            context.out().println(line);
            for (VerificationReport.Problem problem : report.problems()) {
                context.out().println("  " + problem);
            }
        }
        context.out().println("-- " + reports.size() + (reports.size() == 1 ? " file" : " files") + " checked, "
                + problems + (problems == 1 ? " problem" : " problems"));
    }
}
