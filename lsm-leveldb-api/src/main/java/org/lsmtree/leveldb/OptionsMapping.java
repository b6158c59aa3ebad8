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
 *   <li>{@code cacheSize}: accepted and unused. The engine has no block cache yet (blocks are
 *       read from the file each time, through the OS page cache), and a cache size is a
 *       performance hint, not semantics: no answer of the store depends on it, so refusing it
 *       would break programs for nothing. Negative sizes fail. Logged when set.
 *   <li>{@code maxOpenFiles}: accepted and unused, for the same reason: the engine keeps every
 *       table of its live versions open (its table cache is not bounded yet). Under 1 fails.
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
        require(options.cacheSize() >= 0, "cacheSize", options.cacheSize(), "is negative");
        if (options.cacheSize() > 0) {
            log.line("cacheSize %d accepted but unused: the engine has no block cache yet", options.cacheSize());
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
