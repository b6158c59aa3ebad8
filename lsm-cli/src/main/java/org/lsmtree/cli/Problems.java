package org.lsmtree.cli;

/**
 * The problems a dump meets, in one style for every dump: a text line where the problem was met
 * ({@code PROBLEM at offset N: KIND: message}), and at the end a JSON {@code problems} array of
 * {@code {offset, kind, message}} objects (offset -1: not located). Not thread-safe.
 */
final class Problems {
    private final java.io.PrintStream out;
    private final boolean json;
    private final Json.Arr list = Json.arr();
    private long count;

    Problems(java.io.PrintStream out, boolean json) {
        this.out = out;
        this.json = json;
    }

    /** Records a problem and, in text mode, prints it now. */
    void report(long offset, String kind, String message) {
        report(offset, kind, message, null);
    }

    /** As {@link #report(long, String, String)}, with the bytes the problem dropped. */
    void report(long offset, String kind, String message, Long bytesDropped) {
        message = Failures.oneLine(message); // a hostile file can put megabytes into a message
        record(offset, kind, message, bytesDropped);
        if (!json) {
            out.println("PROBLEM " + (offset >= 0 ? "at offset " + offset : "in the file") + ": " + kind + ": "
                    + message + (bytesDropped == null ? "" : " (" + bytesDropped + " bytes dropped)"));
        }
    }

    /** Records a problem already shown in the text (a checksum mismatch in {@code --layout}). */
    void silent(long offset, String kind, String message) {
        record(offset, kind, Failures.oneLine(message), null);
    }

    private void record(long offset, String kind, String message, Long bytesDropped) {
        count++;
        Json.Obj problem = Json.obj().put("offset", offset).put("kind", kind).put("message", message);
        if (bytesDropped != null) {
            problem.put("bytesDropped", bytesDropped);
        }
        list.add(problem);
    }

    long count() {
        return count;
    }

    Json.Arr json() {
        return list;
    }
}
