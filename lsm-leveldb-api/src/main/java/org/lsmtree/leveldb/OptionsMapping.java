package org.lsmtree.leveldb;

import org.iq80.leveldb.CompressionType;
import org.iq80.leveldb.Options;

/**
 * LevelDB-API {@link Options} to our engine's, option by option:
 *
 * <ul>
 *   <li>{@code createIfMissing}, {@code errorIfExists}, {@code paranoidChecks},
 *       {@code verifyChecksums}, {@code blockSize}, {@code blockRestartInterval}: the engine's
 *       option of the same meaning.
 *   <li>{@code writeBufferSize}: the engine's; under its minimum of 1 KiB fails.
 *   <li>{@code compressionType}: {@code NONE} or {@code SNAPPY} (LevelDB's type 1), the API's
 *       default; another type fails.
 *   <li>{@code comparator}: adapted by {@link DBComparatorAdapter}; its {@code name()} is what
 *       the MANIFEST records, as LevelDB records it, and a store never opens under another name.
 *   <li>{@code logger}: receives the adapter's lines ({@link InfoLog}).
 *   <li>{@code cacheSize}: the size of the store's block cache; 0 (the API's default) leaves
 *       the engine's 8 MiB, as LevelDB does. Negative sizes fail.
 *   <li>{@code maxOpenFiles}: the number of tables the engine keeps open (its LRU table cache).
 *       Under 1 fails.
 * </ul>
 *
 * <p>Unlike the engine's own defaults, the API's defaults apply: Snappy compression. Stateless.
 */
final class OptionsMapping {
    private OptionsMapping() {}

    /** The engine's options for {@code options}; an option it cannot honour is an {@link IllegalArgumentException}. */
    static org.lsmtree.engine.Options toEngine(Options options, InfoLog log) {
        org.lsmtree.engine.Options mapped = org.lsmtree.engine.Options.defaults()
                .withCreateIfMissing(options.createIfMissing())
                .withErrorIfExists(options.errorIfExists())
                .withParanoidChecks(options.paranoidChecks())
                .withVerifyChecksums(options.verifyChecksums())
                .withCompression(compression(options.compressionType()));
        require(options.writeBufferSize() >= 1024, "writeBufferSize", options.writeBufferSize(),
                "is under the engine's minimum of 1024 bytes");
        mapped = mapped.withWriteBufferSize(options.writeBufferSize());
        require(options.blockSize() >= 64, "blockSize", options.blockSize(), "is under the engine's minimum of 64 bytes");
        mapped = mapped.withBlockSize(options.blockSize());
        require(options.blockRestartInterval() >= 1, "blockRestartInterval", options.blockRestartInterval(),
                "is under 1");
        mapped = mapped.withBlockRestartInterval(options.blockRestartInterval());
        require(options.maxOpenFiles() >= 1, "maxOpenFiles", options.maxOpenFiles(), "is under 1");
        mapped = mapped.withMaxOpenFiles(options.maxOpenFiles());
        require(options.cacheSize() >= 0, "cacheSize", options.cacheSize(), "is negative");
        if (options.cacheSize() > 0) { // 0 leaves the engine's default, 8 MiB, as LevelDB does
            mapped = mapped.withBlockCacheSize(options.cacheSize());
        }
        if (options.comparator() != null) {
            mapped = mapped.withComparator(new DBComparatorAdapter(options.comparator()));
        }
        return mapped;
    }

    private static org.lsmtree.engine.Options.Compression compression(CompressionType type) {
        if (type == CompressionType.NONE) {
            return org.lsmtree.engine.Options.Compression.NONE;
        }
        if (type == CompressionType.SNAPPY) {
            return org.lsmtree.engine.Options.Compression.SNAPPY;
        }
        throw new IllegalArgumentException("option compressionType " + type + " is not supported (NONE or SNAPPY)");
    }

    private static void require(boolean condition, String option, long value, String reason) {
        if (!condition) {
            throw new IllegalArgumentException("option " + option + " " + value + " " + reason);
        }
    }
}
