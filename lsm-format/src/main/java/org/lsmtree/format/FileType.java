package org.lsmtree.format;

/** The kinds of file a LevelDB-format store directory holds, told apart by name alone. */
public enum FileType {
    /** {@code NNNNNN.log}: a write-ahead log. */
    LOG,
    /** {@code NNNNNN.ldb}: a sorted table. */
    TABLE,
    /** {@code NNNNNN.sst}: a sorted table under the name LevelDB used before 1.14; read, never written. */
    LEGACY_TABLE,
    /** {@code MANIFEST-NNNNNN}: the log of version edits (LevelDB's "descriptor"). */
    MANIFEST,
    /** {@code CURRENT}: names the live MANIFEST. */
    CURRENT,
    /** {@code LOCK}: held by the process that has the store open. */
    LOCK,
    /** {@code LOG}: the human-readable info log. */
    INFO_LOG,
    /** {@code LOG.old}: the previous info log. */
    OLD_INFO_LOG,
    /** {@code NNNNNN.dbtmp}: a temporary file, e.g. the new {@code CURRENT} before its rename. */
    TEMP
}
