package org.lsmtree.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The engines that can be measured, by the names {@code --engines} takes, and the shared knobs
 * each one lacks (printed in every run's header so that no difference hides).
 */
enum EngineKind {
    LSMTREE("lsmtree", List.of()),
    ROCKSDB("rocksdb", List.of()),
    LEVELDB("leveldb", List.of(
            "bloom filter (iq80 0.12 has none)",
            "reverse iteration (readreverse unsupported)",
            "compactRange (not implemented in iq80 0.12: compact unsupported)",
            "L1 target and file size as knobs (LevelDB's fixed 10 MiB and 2 MiB, the same values)"));

    final String label;
    private final List<String> lacks;

    EngineKind(String label, List<String> lacks) {
        this.label = label;
        this.lacks = lacks;
    }

    /** The shared knobs this engine cannot set, in words. */
    List<String> lacks() {
        return lacks;
    }

    BenchEngine open(Path directory, BenchSettings settings) throws IOException {
        return switch (this) {
            case LSMTREE -> new LsmTreeEngine(directory, settings);
            case ROCKSDB -> new RocksDbEngine(directory, settings);
            case LEVELDB -> new Iq80Engine(directory, settings);
        };
    }

    /** The engine called label; "iq80" is taken for leveldb. */
    static EngineKind of(String label) {
        String name = label.trim();
        if (name.equals("iq80")) {
            return LEVELDB;
        }
        for (EngineKind kind : values()) {
            if (kind.label.equals(name)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown engine '" + label + "' (lsmtree, rocksdb, leveldb)");
    }
}
