package org.lsmtree.engine;

/** The parts of a running store ({@link DbCore}) that tests look into; nothing else uses it. */
record DbInternals(WriteController stalls, VersionSet versions, CompactionStats compactionStats, TableCache tables,
        WriteQueue writes) {}
