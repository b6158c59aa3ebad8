package org.lsmtree.cli;

import java.io.PrintStream;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * JSON written as it is produced, for dumps of files of any size: an object's fields and an
 * array's items go out one at a time (each item a small {@link Json} tree), so memory holds one
 * item, never the whole document. The text is the same as {@link Json} would write for the whole
 * tree. Calls must nest properly. Not thread-safe.
 */
final class JsonStream {
    private final PrintStream out;
    /** Per open object or array: how many fields or items it has so far. */
    private final Deque<long[]> open = new ArrayDeque<>();

    JsonStream(PrintStream out) {
        this.out = out;
    }

    /** Opens an object: the document itself, or the next item of the innermost open array. */
    void beginObject() {
        if (!open.isEmpty()) {
            separate();
        }
        out.print('{');
        open.push(new long[1]);
    }

    /** A field of the innermost open object. */
    void field(String name, Object value) {
        separate();
        StringBuilder text = new StringBuilder();
        Json.write(name, text, 0);
        text.append(": ");
        Json.write(value, text, open.size());
        out.print(text);
    }

    /** Opens an array as the value of field {@code name} of the innermost open object. */
    void beginArray(String name) {
        separate();
        StringBuilder text = new StringBuilder();
        Json.write(name, text, 0);
        out.print(text.append(": ["));
        open.push(new long[1]);
    }

    /** An item of the innermost open array. */
    void item(Object value) {
        separate();
        StringBuilder text = new StringBuilder();
        Json.write(value, text, open.size());
        out.print(text);
    }

    void endArray() {
        close(']');
    }

    void endObject() {
        close('}');
        if (open.isEmpty()) {
            out.println();
        }
    }

    private void separate() {
        long[] count = open.peek();
        out.print(count[0]++ == 0 ? "\n" : ",\n");
        out.print("  ".repeat(open.size()));
    }

    private void close(char bracket) {
        long[] count = open.pop();
        if (count[0] > 0) {
            out.print("\n" + "  ".repeat(open.size()));
        }
        out.print(bracket);
    }
}
