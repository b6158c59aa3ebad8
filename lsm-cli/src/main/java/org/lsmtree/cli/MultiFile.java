package org.lsmtree.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Stream;
import org.lsmtree.format.FileNames;
import org.lsmtree.format.FileType;

/**
 * Runs a one-file dump over several files or directories in one call (a directory stands for its
 * files of the dump's kinds, in name order). One file gives the dump's own output; several give,
 * in text, a {@code == FILE} line before each, and in JSON {@code {"files": [...]}} with each
 * file's object. A file that cannot be dumped is reported (one line on standard error, and in
 * JSON an object with its problem) and the others still are; the exit code is the worst of all.
 * Stateless.
 */
final class MultiFile {
    /** One file's dump; writes its JSON object to {@code json} (null: text) and returns its exit code. */
    interface FileDump {
        int dump(Path file, JsonStream json) throws Exception;
    }

    private MultiFile() {}

    static int run(Context context, List<Path> inputs, EnumSet<FileType> kinds, boolean json, FileDump dump)
            throws Exception {
        if (inputs.size() == 1 && !Files.isDirectory(inputs.get(0))) {
            return dump.dump(inputs.get(0), json ? new JsonStream(context.out()) : null);
        }
        List<Path> files = expand(inputs, kinds);
        JsonStream stream = json ? new JsonStream(context.out()) : null;
        if (stream != null) {
            stream.beginObject();
            stream.beginArray("files");
        }
        int exit = ExitCodes.OK;
        for (Path file : files) {
            if (stream == null) {
                context.out().println("== " + file);
            }
            int code;
            try {
                code = dump.dump(file, stream);
            } catch (Exception e) {
                context.err().println("lsm: " + Failures.describe(e));
                if (stream != null) {
                    stream.item(Json.obj().put("file", file.toString())
                            .put("problems", Json.arr().add(Failures.problemJson(e))));
                }
                code = Failures.exitCode(e);
            }
            exit = worst(exit, code);
        }
        if (stream != null) {
            stream.endArray();
            stream.endObject();
        } else {
            context.out().println("== " + Words.count(files.size(), "file", "files"));
        }
        return exit;
    }

    /** The files named, with each directory replaced by its files of {@code kinds}, sorted by name. */
    static List<Path> expand(List<Path> inputs, EnumSet<FileType> kinds) throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path input : inputs) {
            if (!Files.isDirectory(input)) {
                files.add(input);
                continue;
            }
            try (Stream<Path> listed = Files.list(input)) {
                listed.filter(f -> FileNames.parse(f).map(p -> kinds.contains(p.type())).orElse(false)).sorted()
                        .forEach(files::add);
            }
        }
        return files;
    }

    /** Damage outranks a usage error, which outranks not found and fine. */
    static int worst(int a, int b) {
        return rank(a) >= rank(b) ? a : b;
    }

    private static int rank(int code) {
        return switch (code) {
            case ExitCodes.DAMAGE -> 3;
            case ExitCodes.USAGE -> 2;
            case ExitCodes.NOT_FOUND -> 1;
            default -> 0;
        };
    }
}
