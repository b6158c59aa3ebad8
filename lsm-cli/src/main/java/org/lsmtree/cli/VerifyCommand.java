package org.lsmtree.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.LongFunction;
import org.lsmtree.format.FileNames;
import org.lsmtree.format.FileType;
import org.lsmtree.format.VerificationReport;
import org.lsmtree.format.storage.NioStorage;
import org.lsmtree.format.storage.Storage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code lsm verify <dir|file>}: a file is checked by the verifier of its type, told by its name
 * ({@link FileNames#parse}) or by {@code --type}; a directory is checked as a whole store
 * ({@link StoreCheck}: the MANIFEST {@code CURRENT} names, missing files, each live table's size
 * and key range) and then every table and log in it. Problems give exit 3; warnings (files the
 * MANIFEST does not use, and their damage) are listed with exit 0. Nothing is written.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Check a store directory or one file and report every problem found (exit 3 if any).",
            "A file's kind comes from its name (NNNNNN.log, NNNNNN.ldb/.sst, MANIFEST-NNNNNN, CURRENT) or --type."})
final class VerifyCommand implements Callable<Integer> {
    /** The kinds {@code --type} accepts. */
    enum Kind { log, table, manifest }

    @Parameters(arity = "1..*", paramLabel = "<dir|file>", description = "Store directories or files, any mix.")
    List<Path> paths;

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
        for (Path path : paths) {
            if (!Files.exists(path)) {
                throw new NoSuchFileException(path.toString());
            }
        }
        Storage storage = NioStorage.onDefaultFileSystem();
        List<Verdict> verdicts = new ArrayList<>();
        for (Path path : paths) {
            if (Files.isDirectory(path)) {
                verifyStore(storage, path, verdicts);
            } else {
                InputFile.requireRegular(path);
                verdicts.add(Verdict.of(verifyFile(storage, path)));
            }
        }
        print(verdicts);
        return verdicts.stream().allMatch(Verdict::isClean) ? ExitCodes.OK : ExitCodes.DAMAGE;
    }

    private void verifyStore(Storage storage, Path path, List<Verdict> verdicts) throws IOException {
        ForeignFormats.checkDirectory(path);
        InputFile.requireRegularStoreFiles(path);
        if (!storage.exists(path.resolve("CURRENT")) && storage.list(path).stream()
                .noneMatch(f -> FileNames.parse(f).map(p -> p.type() == FileType.MANIFEST).orElse(false))) {
            throw new CliException(ExitCodes.USAGE, path + ": no store here (no CURRENT file, no MANIFEST)");
        }
        verdicts.addAll(verifyStore(storage, path, total -> Progress.start(context, "verify", total)));
    }

    /**
     * The checks of {@code lsm verify <dir>} past its checks of the path, on any storage (tests
     * run them on jimfs): the store's verdict ({@link StoreCheck}), then one per table and log in
     * the directory, damage in a file the MANIFEST does not use counted as a warning.
     */
    static List<Verdict> verifyStore(Storage storage, Path path, LongFunction<Progress> progressFor) throws IOException {
        List<Verdict> verdicts = new ArrayList<>();
        StoreCheck.Result store = StoreCheck.verify(storage, path);
        verdicts.add(store.verdict());
        List<Path> files = new ArrayList<>();
        for (Path file : storage.list(path)) {
            Optional<FileType> kind = FileNames.parse(file).map(FileNames.Parsed::type);
            if (kind.isPresent() && kind.get() != FileType.MANIFEST && kind.get() != FileType.CURRENT
                    && Verifiers.forType(kind.get()) != null) {
                files.add(file);
            }
        }
        files.sort(null);
        Progress progress = progressFor.apply(files.size());
        for (int i = 0; i < files.size(); i++) {
            Path file = files.get(i);
            FileNames.Parsed parsed = FileNames.parse(file).get();
            VerificationReport report = Verifiers.forType(parsed.type()).verify(storage, file);
            // Damage in a file the MANIFEST does not use (a partial table of an interrupted
            // compaction, an old log) harms no read: LevelDB deletes such files on open.
            boolean live = StoreCheck.isLive(parsed, store.state());
            verdicts.add(Verdict.of(report, p -> !live));
            progress.update(i + 1);
        }
        progress.done();
        return verdicts;
    }

    private VerificationReport verifyFile(Storage storage, Path path) throws IOException {
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
        if (kind == FileType.TABLE || kind == FileType.LEGACY_TABLE) {
            ForeignFormats.checkTable(path);
        }
        VerificationReport report = verifier.verify(storage, path);
        if (kind == FileType.MANIFEST) {
            report.problems().stream().map(p -> ForeignFormats.rocksDbTag(p.message())).flatMap(Optional::stream)
                    .findFirst().ifPresent(tag -> {
                        throw new CliException(ExitCodes.USAGE, path + ": is a RocksDB MANIFEST (version edit tag "
                                + tag + "), not LevelDB (lsm reads LevelDB's formats only)");
                    });
        }
        return report;
    }

    private void print(List<Verdict> verdicts) {
        long problems = verdicts.stream().mapToLong(v -> v.problems().size()).sum();
        long warnings = verdicts.stream().mapToLong(v -> v.warnings().size()).sum();
        if (options.json) {
            Json.Arr files = Json.arr();
            for (Verdict verdict : verdicts) {
                Json.Obj counts = Json.obj();
                shownCounts(verdict).forEach(c -> counts.put(camelCase(c.getKey()), c.getValue()));
                Json.Obj file = Json.obj().put("file", verdict.file()).put("clean", verdict.isClean())
                        .put("counts", counts).put("problems", problemsJson(verdict.problems()))
                        .put("warnings", problemsJson(verdict.warnings()));
                if (!verdict.notes().isEmpty()) {
                    Json.Arr notes = Json.arr();
                    verdict.notes().forEach(notes::add);
                    file.put("notes", notes);
                }
                files.add(file);
            }
            Json.Obj top = paths.size() == 1 ? Json.obj().put("path", paths.get(0).toString())
                    : Json.obj().put("paths", paths.stream().map(Path::toString).collect(Json::arr, Json.Arr::add, (a, b) -> { }));
            context.out().println(top.put("clean", problems == 0)
                    .put("problemCount", problems).put("warningCount", warnings).put("files", files));
            return;
        }
        for (Verdict verdict : verdicts) {
            StringBuilder line = new StringBuilder(verdict.file()).append(": ")
                    .append(verdict.isClean() ? "OK" : Words.count(verdict.problems().size(), "problem", "problems"));
            if (!verdict.warnings().isEmpty()) {
                line.append(", ").append(Words.count(verdict.warnings().size(), "warning", "warnings"));
            }
            StringBuilder counts = new StringBuilder();
            shownCounts(verdict).forEach(c -> counts.append(counts.length() == 0 ? "" : ", ").append(c.getKey())
                    .append('=').append(c.getValue()));
            if (counts.length() > 0) {
                line.append(" (").append(counts).append(')');
            }
            context.out().println(line);
            verdict.notes().forEach(note -> context.out().println("  note: " + note));
            verdict.problems().forEach(problem -> context.out().println("  " + Failures.oneLine(problem.toString())));
            verdict.warnings().forEach(warning -> context.out().println("  warning: "
                    + Failures.oneLine(warning.toString())));
        }
        context.out().println("-- " + Words.count(verdicts.size(), "file", "files") + " checked, "
                + Words.count(problems, "problem", "problems")
                + (warnings == 0 ? "" : ", " + Words.count(warnings, "warning", "warnings")));
    }

    /** The counts worth showing: no empty levels, no unknown (negative) values such as an empty log's sequences. */
    private static List<Map.Entry<String, Long>> shownCounts(Verdict verdict) {
        return verdict.counts().entrySet().stream()
                .filter(c -> c.getValue() >= 0 && !(c.getKey().contains(" at level ") && c.getValue() == 0)).toList();
    }

    private static Json.Arr problemsJson(List<VerificationReport.Problem> problems) {
        Json.Arr list = Json.arr();
        problems.forEach(p -> list.add(Json.obj().put("offset", p.offset()).put("kind", p.kind())
                .put("message", Failures.oneLine(p.message()))));
        return list;
    }

    /** {@code "files at level 0"} as {@code "filesAtLevel0"}: one key style in all JSON. */
    static String camelCase(String words) {
        StringBuilder name = new StringBuilder();
        boolean upper = false;
        for (char c : words.toCharArray()) {
            if (c == ' ' || c == '-' || c == '_') {
                upper = name.length() > 0;
            } else {
                name.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return name.toString();
    }
}
