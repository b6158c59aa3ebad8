package org.lsmtree.leveldb;

import java.nio.file.Path;
import org.iq80.leveldb.Logger;
import org.lsmtree.engine.Db;
import org.slf4j.LoggerFactory;

/**
 * Where the adapter reports what it does to a store (opened, repaired, compacted, closed; options
 * it accepts without using): to the {@link Logger} of the store's options, LevelDB's info log, when
 * one is set, and always to SLF4J at debug level. The engine's own SLF4J lines go only to the
 * application's SLF4J binding: the engine has no per-store log sink to forward them from.
 * Thread-safe as far as the given {@code Logger} is.
 */
final class InfoLog {
    private static final org.slf4j.Logger LOG = LoggerFactory.getLogger(InfoLog.class);

    private final Logger logger;
    private final Path directory;

    InfoLog(Logger logger, Path directory) {
        this.logger = logger;
        this.directory = directory;
    }

    /** Reports one line, {@link String#format} style. */
    void line(String format, Object... arguments) {
        String text = String.format(format, arguments);
        LOG.debug("{}: {}", directory, text);
        if (logger != null) {
            logger.log(text);
        }
    }

    /** {@code key} in hex, or {@code unbounded} for null. */
    static String key(byte[] key) {
        return key == null ? "unbounded" : "0x" + java.util.HexFormat.of().formatHex(key);
    }

    /** Reports that {@code db} is open, with its last sequence number. */
    void opened(Db db) {
        line("opened %s, last sequence %s", directory, db.property("lsm.last-sequence"));
    }
}
