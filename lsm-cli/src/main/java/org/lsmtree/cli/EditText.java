package org.lsmtree.cli;

import java.util.Map;
import org.lsmtree.manifest.VersionEdit;

/** One version edit as {@code lsm manifest dump} prints it, in text and in JSON. Stateless. */
final class EditText {
    private final boolean hex;
    private final boolean verbose;

    /** With {@code verbose}, added files print with their key ranges. */
    EditText(boolean hex, boolean verbose) {
        this.hex = hex;
        this.verbose = verbose;
    }

    String describe(long offset, VersionEdit edit) {
        StringBuilder text = new StringBuilder("edit at offset ").append(offset).append(":\n");
        edit.comparatorName().ifPresent(name -> text.append("  comparator       ").append(name(name)).append('\n'));
        edit.logNumber().ifPresent(n -> text.append("  log number       ").append(n).append('\n'));
        edit.previousLogNumber().ifPresent(n -> text.append("  prev log number  ").append(n).append('\n'));
        edit.nextFileNumber().ifPresent(n -> text.append("  next file        ").append(n).append('\n'));
        edit.lastSequence().ifPresent(n -> text.append("  last sequence    ").append(n).append('\n'));
        for (VersionEdit.CompactPointer pointer : edit.compactPointers()) {
            text.append("  compact pointer  level ").append(pointer.level()).append(' ')
                    .append(InternalKeyText.render(pointer.key(), hex)).append('\n');
        }
        for (VersionEdit.DeletedFile deleted : edit.deletedFiles()) {
            text.append("  delete file      level ").append(deleted.level()).append(" #").append(deleted.number())
                    .append('\n');
        }
        for (VersionEdit.NewFile added : edit.newFiles()) {
            text.append("  add file         level ").append(added.level()).append(' ')
                    .append(LevelSummary.fileText(added.file(), hex, verbose)).append('\n');
        }
        if (edit.isEmpty()) {
            text.append("  (empty)\n");
        }
        return text.toString();
    }

    Json.Obj json(long offset, VersionEdit edit) {
        Json.Obj obj = Json.obj().put("offset", offset);
        edit.comparatorName().ifPresent(name -> obj.put("comparator", name(name)));
        edit.logNumber().ifPresent(n -> obj.put("logNumber", n));
        edit.previousLogNumber().ifPresent(n -> obj.put("prevLogNumber", n));
        edit.nextFileNumber().ifPresent(n -> obj.put("nextFileNumber", n));
        edit.lastSequence().ifPresent(n -> obj.put("lastSequence", n));
        if (!edit.compactPointers().isEmpty()) {
            Json.Arr pointers = Json.arr();
            edit.compactPointers().forEach(p -> pointers.add(Json.obj().put("level", p.level())
                    .put("key", InternalKeyText.json(p.key(), hex))));
            obj.put("compactPointers", pointers);
        }
        if (!edit.deletedFiles().isEmpty()) {
            Json.Arr deleted = Json.arr();
            edit.deletedFiles().forEach(d -> deleted.add(Json.obj().put("level", d.level()).put("number", d.number())));
            obj.put("deletedFiles", deleted);
        }
        if (!edit.newFiles().isEmpty()) {
            Json.Arr added = Json.arr();
            edit.newFiles().forEach(f -> added.add(LevelSummary.fileJson(f.file(), hex).put("level", f.level())));
            obj.put("newFiles", added);
        }
        return obj;
    }

    /** The longest comparator name shown whole; a hostile MANIFEST can hold one of megabytes. */
    static final int MAX_NAME = 200;

    static String name(String comparatorName) {
        return Words.cut(comparatorName, MAX_NAME);
    }

    static String pointers(Map<Integer, byte[]> pointers, boolean hex) {
        StringBuilder text = new StringBuilder();
        pointers.forEach((level, key) -> text.append("  compact pointer  level ").append(level).append(' ')
                .append(InternalKeyText.render(key, hex)).append('\n'));
        return text.toString();
    }
}
