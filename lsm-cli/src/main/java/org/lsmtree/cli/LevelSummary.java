package org.lsmtree.cli;

import java.math.BigInteger;
import org.lsmtree.manifest.FileMetadata;
import org.lsmtree.manifest.LevelState;

/**
 * A level state as the CLI prints it ({@code manifest dump}'s summary, {@code stats}): the
 * scalars, then per level the file count, bytes and each file with its key range. Stateless.
 */
final class LevelSummary {
    static final int LEVELS = 7;

    private LevelSummary() {}

    static String text(LevelState state, boolean hex) {
        return text(state, hex, true);
    }

    /** The state as text; each file with its key range only when {@code verbose}, else counts per level. */
    static String text(LevelState state, boolean hex, boolean verbose) {
        StringBuilder text = new StringBuilder();
        text.append("  comparator       ").append(state.comparatorName().map(EditText::name).orElse("(not set)"))
                .append('\n');
        text.append("  log number       ").append(state.logNumber()).append('\n');
        text.append("  prev log number  ").append(state.previousLogNumber()).append('\n');
        text.append("  next file        ").append(state.nextFileNumber()).append('\n');
        text.append("  last sequence    ").append(state.lastSequence()).append('\n');
        text.append(EditText.pointers(state.compactPointers(), hex));
        long files = 0;
        BigInteger bytes = BigInteger.ZERO;
        for (int level = 0; level < LEVELS; level++) {
            if (state.fileCount(level) == 0) {
                continue;
            }
            text.append("  level ").append(level).append(": ").append(Words.count(state.fileCount(level), "file", "files"))
                    .append(", ").append(bytes(state, level)).append(" bytes\n");
            if (verbose) {
                for (FileMetadata file : state.files(level)) {
                    text.append("    ").append(fileText(file, hex)).append('\n');
                }
            }
            files += state.fileCount(level);
            bytes = bytes.add(bytes(state, level));
        }
        text.append("  total: ").append(Words.count(files, "file", "files")).append(", ").append(bytes).append(" bytes\n");
        return text.toString();
    }

    static Json.Obj json(LevelState state, boolean hex) {
        Json.Arr levels = Json.arr();
        for (int level = 0; level < LEVELS; level++) {
            Json.Arr files = Json.arr();
            state.files(level).forEach(f -> files.add(fileJson(f, hex)));
            levels.add(Json.obj().put("level", level).put("files", state.fileCount(level)).put("bytes", bytes(state, level))
                    .put("tables", files));
        }
        return Json.obj().put("comparator", state.comparatorName().map(EditText::name).orElse(null)).put("logNumber", state.logNumber())
                .put("prevLogNumber", state.previousLogNumber()).put("nextFileNumber", state.nextFileNumber())
                .put("lastSequence", state.lastSequence()).put("levels", levels);
    }

    /**
     * The bytes of a level's files, summed without overflow: sizes come from the MANIFEST, and a
     * damaged or hostile one can name sizes whose sum passes 2^63.
     */
    static BigInteger bytes(LevelState state, int level) {
        BigInteger sum = BigInteger.ZERO;
        for (FileMetadata file : state.files(level)) {
            sum = sum.add(unsigned(file.size()));
        }
        return sum;
    }

    /** A size as the varint64 on disk holds it: unsigned. */
    static BigInteger unsigned(long size) {
        return new BigInteger(Long.toUnsignedString(size));
    }

    static String fileText(FileMetadata file, boolean hex) {
        return fileText(file, hex, true);
    }

    /** {@code #N size bytes}, and with {@code range} the file's smallest and largest keys. */
    static String fileText(FileMetadata file, boolean hex, boolean range) {
        return "#" + file.number() + " " + unsigned(file.size()) + " bytes" + (range ? " ["
                + InternalKeyText.render(file.smallest(), hex) + " .. " + InternalKeyText.render(file.largest(), hex) + "]"
                : "");
    }

    static Json.Obj fileJson(FileMetadata file, boolean hex) {
        return Json.obj().put("number", file.number()).put("size", unsigned(file.size()))
                .put("smallest", InternalKeyText.json(file.smallest(), hex))
                .put("largest", InternalKeyText.json(file.largest(), hex));
    }
}
