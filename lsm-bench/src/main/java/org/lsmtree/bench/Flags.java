package org.lsmtree.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Command-line flags in db_bench's style: {@code --name=value} or {@code --name value}; dashes
 * and underscores in a name are the same ({@code --value-size} is {@code --value_size}). An
 * unknown name or a missing or malformed value is an {@link IllegalArgumentException} that says
 * which flag and why.
 */
final class Flags {
    private final Map<String, String> values = new LinkedHashMap<>();

    private Flags() {}

    static Flags parse(String[] args, Set<String> known, Set<String> switches) {
        Flags flags = new Flags();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("expected a flag, got '" + arg + "'");
            }
            int equals = arg.indexOf('=');
            String name = (equals < 0 ? arg.substring(2) : arg.substring(2, equals)).replace('-', '_');
            if (!known.contains(name) && !switches.contains(name)) {
                throw new IllegalArgumentException("unknown flag --" + name);
            }
            String value;
            if (equals >= 0) {
                value = arg.substring(equals + 1);
            } else if (switches.contains(name)) {
                value = "true";
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new IllegalArgumentException("--" + name + " needs a value");
            }
            flags.values.put(name, value);
        }
        return flags;
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    String string(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    int integer(String name, int fallback) {
        String value = values.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.replace(",", "").replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " takes a whole number, got '" + value + "'");
        }
    }

    long longValue(String name, long fallback) {
        String value = values.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " takes a whole number, got '" + value + "'");
        }
    }

    /** The workload shape shared by the runner and the engine JVMs. */
    BenchSettings settings() {
        return new BenchSettings(integer("num", 1_000_000), integer("value_size", 100), integer("key_size", 16),
                integer("threads", 1), longValue("seed", 301));
    }

    static final Set<String> SETTINGS = Set.of("num", "value_size", "key_size", "threads", "seed", "benchmarks");
}
