package org.lsmtree.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code --json} output: objects (fields in insertion order), arrays, strings, numbers,
 * booleans and null, written with two-space indentation. Keys and values of a store appear as the
 * strings {@link ByteText} renders. No JSON library is among our dependencies and this is all the
 * CLI needs: it only writes. Not thread-safe.
 */
final class Json {
    private Json() {}

    static Obj obj() {
        return new Obj();
    }

    static Arr arr() {
        return new Arr();
    }

    /** A JSON object under construction. */
    static final class Obj {
        private final Map<String, Object> fields = new LinkedHashMap<>();

        Obj put(String name, Object value) {
            fields.put(name, value);
            return this;
        }

        @Override
        public String toString() {
            StringBuilder text = new StringBuilder();
            write(this, text, 0);
            return text.toString();
        }
    }

    /** A JSON array under construction. */
    static final class Arr {
        private final List<Object> items = new ArrayList<>();

        Arr add(Object value) {
            items.add(value);
            return this;
        }

        int size() {
            return items.size();
        }

        @Override
        public String toString() {
            StringBuilder text = new StringBuilder();
            write(this, text, 0);
            return text.toString();
        }
    }

    /** Writes {@code value} (an {@link Obj}, {@link Arr}, string, number, boolean or null) indented for {@code depth}. */
    static void write(Object value, StringBuilder out, int depth) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof Obj obj) {
            if (obj.fields.isEmpty()) {
                out.append("{}");
                return;
            }
            out.append("{\n");
            int i = 0;
            for (Map.Entry<String, Object> field : obj.fields.entrySet()) {
                indent(out, depth + 1);
                string(field.getKey(), out);
                out.append(": ");
                write(field.getValue(), out, depth + 1);
                out.append(++i < obj.fields.size() ? ",\n" : "\n");
            }
            indent(out, depth);
            out.append('}');
        } else if (value instanceof Arr arr) {
            if (arr.items.isEmpty()) {
                out.append("[]");
                return;
            }
            out.append("[\n");
            for (int i = 0; i < arr.items.size(); i++) {
                indent(out, depth + 1);
                write(arr.items.get(i), out, depth + 1);
                out.append(i + 1 < arr.items.size() ? ",\n" : "\n");
            }
            indent(out, depth);
            out.append(']');
        } else if (value instanceof Number || value instanceof Boolean) {
            out.append(value);
        } else {
            string(value.toString(), out);
        }
    }

    private static void indent(StringBuilder out, int depth) {
        out.append("  ".repeat(depth));
    }

    private static void string(String text, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
