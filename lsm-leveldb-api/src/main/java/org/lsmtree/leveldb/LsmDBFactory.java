package org.lsmtree.leveldb;

import static com.google.common.base.Preconditions.checkNotNull;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.iq80.leveldb.DB;
import org.iq80.leveldb.DBFactory;
import org.iq80.leveldb.Options;
import org.lsmtree.engine.Db;

/**
 * Our engine behind the Java LevelDB API ({@code org.iq80.leveldb}): a program written against
 * {@link DBFactory} and {@link DB} switches by replacing {@code Iq80DBFactory.factory} (or
 * {@code JniDBFactory.factory}) with {@link #factory}. The stores are LevelDB's on disk, so the
 * same directory opens in C++ LevelDB, in the pure-Java port and here.
 *
 * <p>Found the ways LevelDB factories are found: the public static {@link #factory} field, a
 * public no-argument constructor (for code that loads a factory by class name, such as
 * {@code -Dleveldb.factory=org.lsmtree.leveldb.LsmDBFactory}), and a {@link java.util.ServiceLoader}
 * entry for {@link DBFactory}. {@link #bytes} and {@link #asString} are the UTF-8 helpers the
 * other factories offer beside {@code factory}.
 *
 * <p>{@link Options} are mapped as {@link OptionsMapping} says; one that cannot be honoured fails
 * {@link #open} with an {@link IllegalArgumentException} naming it. Where our answers differ from
 * the pure-Java port's (reverse iteration, {@code compactRange}, properties, approximate sizes,
 * suspended compactions, {@code destroy}, {@code repair}), {@code docs/leveldb-api.md} lists them
 * and why. Immutable and thread-safe.
 */
public final class LsmDBFactory implements DBFactory {
    /** The factory with default settings, named as {@code Iq80DBFactory.factory} is. */
    public static final LsmDBFactory factory = new LsmDBFactory();

    private final boolean legacyTableFileNames;

    /** A factory with default settings; {@link #factory} is one. */
    public LsmDBFactory() {
        this(false);
    }

    private LsmDBFactory(boolean legacyTableFileNames) {
        this.legacyTableFileNames = legacyTableFileNames;
    }

    /**
     * A factory whose stores name new tables {@code NNNNNN.sst}, as LevelDB did before 1.14,
     * instead of {@code NNNNNN.ldb}: for stores that the pure-Java port 0.12 (which knows the old
     * name only) must open too. Both names are always read.
     */
    public LsmDBFactory withLegacyTableFileNames(boolean value) {
        return new LsmDBFactory(value);
    }

    /**
     * Opens (or creates, with {@link Options#createIfMissing()}) the store in {@code path}.
     *
     * @throws IllegalArgumentException when an option cannot be honoured (the message names it)
     * @throws IOException when the store is missing, exists under {@code errorIfExists}, is in use,
     *     or is damaged (the message names the file)
     */
    @Override
    public DB open(File path, Options options) throws IOException {
        checkNotNull(path, "path");
        checkNotNull(options, "options");
        InfoLog log = new InfoLog(options.logger(), path.toPath());
        org.lsmtree.engine.Options mapped = OptionsMapping.toEngine(options, log)
                .withLegacyTableFileNames(legacyTableFileNames);
        Db db = Db.open(path.toPath(), mapped);
        log.opened(db);
        return new LsmDB(db, mapped.comparator(), log);
    }

    /**
     * Deletes the store in {@code path}: every file with a LevelDB name (see {@link StoreFiles}),
     * then the directory if nothing else is left in it. Files of other names stay, unlike the
     * pure-Java port, which deletes the whole directory. Fails while the store is open.
     */
    @Override
    public void destroy(File path, Options options) throws IOException {
        checkNotNull(path, "path");
        StoreFiles.destroy(path.toPath());
    }

    /**
     * Salvages what can be read from a store that no longer opens because a write-ahead log is
     * damaged: replays every log skipping each damaged record (and, by LevelDB's framing, the rest
     * of its 32 KiB block), writes what it recovers to a table and drops the logs. Limited today:
     * it cannot rebuild a missing or damaged MANIFEST from the tables, and fails saying so.
     */
    @Override
    public void repair(File path, Options options) throws IOException {
        checkNotNull(path, "path");
        checkNotNull(options, "options");
        Path directory = path.toPath();
        InfoLog log = new InfoLog(options.logger(), directory);
        Repair.run(directory, OptionsMapping.toEngine(options, log).withLegacyTableFileNames(legacyTableFileNames),
                log);
    }

    /** {@code value} in UTF-8, as {@code Iq80DBFactory.bytes} gives it; null for null. */
    public static byte[] bytes(String value) {
        return value == null ? null : value.getBytes(StandardCharsets.UTF_8);
    }

    /** {@code value} read as UTF-8, as {@code Iq80DBFactory.asString} gives it; null for null. */
    public static String asString(byte[] value) {
        return value == null ? null : new String(value, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "lsmtree LevelDB-API factory" + (legacyTableFileNames ? " (.sst table names)" : "");
    }
}
