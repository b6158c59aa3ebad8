package org.lsmtree.kafka;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.lsmtree.engine.Db;
import org.lsmtree.engine.Options;
import org.lsmtree.wal.WriteBatch;
import org.lsmtree.engine.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The time segments of a window or session store: one engine store per {@code segmentInterval}
 * milliseconds of record time, in {@code <store dir>/segment-<id>} where {@code id} is the
 * timestamp divided by the interval. Retention drops whole segments: a segment whose id is below
 * that of {@code streamTime - retention} is closed and its directory deleted, never rewritten.
 *
 * <p>Writes to segments are unsynced; {@link #syncDirty()} syncs the ones written since the last
 * call (at commit, before the offsets are written, so that offsets never run ahead of the data).
 *
 * <p>Thread-safety: the stream thread creates and drops segments; readers on other threads take
 * {@link #between} under the same lock and may find a segment closed under them, which the caller
 * reports as a closed store.
 */
final class Segments {
    private static final Logger LOG = LoggerFactory.getLogger(Segments.class);
    private static final String PREFIX = "segment-";

    private final String store;
    private final Path directory;
    private final Options options;
    private final long interval;
    private final long retention;
    private final NavigableMap<Long, Db> open = new TreeMap<>();
    private final java.util.Set<Long> dirty = new java.util.HashSet<>();

    Segments(String store, Path directory, Options options, long interval, long retention) {
        this.store = store;
        this.directory = directory;
        this.options = options;
        this.interval = Math.max(1, interval);
        this.retention = retention;
    }

    long segmentId(long timestamp) {
        return Math.floorDiv(timestamp, interval);
    }

    /** Whether the segment of {@code timestamp} is still retained at {@code streamTime}. */
    boolean isLive(long timestamp, long streamTime) {
        return segmentId(timestamp) >= segmentId(streamTime - retention);
    }

    /** Opens every segment found on disk; returns the greatest segment start time, or -1 when none. */
    synchronized long openExisting() throws IOException {
        Files.createDirectories(directory);
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, PREFIX + "*")) {
            for (Path entry : entries) {
                String id = entry.getFileName().toString().substring(PREFIX.length());
                try {
                    long segment = Long.parseLong(id);
                    open.put(segment, Db.open(entry, options));
                } catch (NumberFormatException e) {
                    LOG.warn("store {}: ignoring {}, which is not a segment directory", store, entry);
                }
            }
        }
        return open.isEmpty() ? -1 : open.lastKey() * interval;
    }

    /** The segment holding {@code timestamp}, or null when it does not exist. */
    synchronized Db get(long timestamp) {
        return open.get(segmentId(timestamp));
    }

    /**
     * The segment holding {@code timestamp}, created when missing, or null when it is already out
     * of retention at {@code streamTime}. Drops the segments that fell out of retention.
     */
    synchronized Db getOrCreateIfLive(long timestamp, long streamTime) throws IOException {
        long id = segmentId(timestamp);
        long minLive = segmentId(streamTime - retention);
        if (!isLive(timestamp, streamTime)) {
            return null;
        }
        Db segment = open.get(id);
        if (segment == null) {
            segment = Db.open(directory.resolve(PREFIX + id), options);
            open.put(id, segment);
        }
        dirty.add(id);
        dropBelow(minLive);
        return segment;
    }

    /** Whether {@code segment} is one of the open segments. */
    synchronized boolean contains(Db segment) {
        return open.containsValue(segment);
    }

    /** Marks the segment of {@code timestamp} as written since the last sync. */
    synchronized void written(long timestamp) {
        dirty.add(segmentId(timestamp));
    }

    /** The open segments overlapping {@code [from, to]}, oldest first. */
    synchronized List<Db> between(long from, long to) {
        if (from > to) {
            return List.of();
        }
        return new ArrayList<>(open.subMap(segmentId(from), true, segmentId(to), true).values());
    }

    /** Every open segment, oldest first. */
    synchronized List<Db> all() {
        return new ArrayList<>(open.values());
    }

    /** Syncs the log of every segment written since the last call. */
    synchronized void syncDirty() throws IOException {
        for (Long id : dirty) {
            Db segment = open.get(id);
            if (segment != null) {
                segment.write(new WriteBatch(), WriteOptions.sync());
            }
        }
        dirty.clear();
    }

    private void dropBelow(long minLive) throws IOException {
        while (!open.isEmpty() && open.firstKey() < minLive) {
            long id = open.firstKey();
            open.remove(id).close();
            dirty.remove(id);
            deleteRecursively(directory.resolve(PREFIX + id));
            LOG.debug("store {}: dropped segment {} (out of retention)", store, id);
        }
    }

    synchronized void close() throws IOException {
        IOException failure = null;
        for (Db segment : open.values()) {
            try {
                segment.close();
            } catch (IOException e) {
                failure = failure == null ? e : failure;
            }
        }
        open.clear();
        dirty.clear();
        if (failure != null) {
            throw failure;
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
