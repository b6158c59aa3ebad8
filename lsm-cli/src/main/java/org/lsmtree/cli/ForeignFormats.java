package org.lsmtree.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.lsmtree.format.CorruptionException;

/**
 * Recognises RocksDB's files, which share LevelDB's file names and log framing but not its
 * table footers or MANIFEST tags, so that {@code lsm} says "this is RocksDB" in one line (exit 2)
 * instead of reporting damage, and never writes into a RocksDB store. The magic numbers and tag
 * numbers are RocksDB's ({@code table/block_based/block_based_table_builder.cc},
 * {@code db/version_edit.h}). Stateless.
 */
final class ForeignFormats {
    /** RocksDB's table magic numbers (the last 8 bytes of a table) and their formats. */
    private static final Map<Long, String> ROCKSDB_TABLE_MAGIC = Map.of(
            0x88e241b785f4cff7L, "block-based",
            0x8242229663bf9564L, "plain",
            0x4f3418eb7a8f13b8L, "legacy plain",
            0x926789d0c5f17873L, "cuckoo");
    /** RocksDB's version edit tags that LevelDB never wrote. */
    private static final Map<Integer, String> ROCKSDB_TAGS = Map.ofEntries(
            Map.entry(10, "kMinLogNumberToKeep"), Map.entry(100, "kNewFile2"), Map.entry(102, "kNewFile3"),
            Map.entry(103, "kNewFile4"), Map.entry(200, "kColumnFamily"), Map.entry(201, "kColumnFamilyAdd"),
            Map.entry(202, "kColumnFamilyDrop"), Map.entry(203, "kMaxColumnFamily"), Map.entry(300, "kInAtomicGroup"),
            Map.entry(400, "kBlobFileAddition"), Map.entry(401, "kBlobFileGarbage"));
    /** RocksDB's "safe to ignore" tags start here (kDbId and later). */
    private static final int ROCKSDB_SAFE_IGNORE_TAGS = 1 << 13;
    private static final Pattern UNKNOWN_TAG = Pattern.compile("unknown tag (\\d+) in version edit");

    private ForeignFormats() {}

    /** Refuses a RocksDB table, told by its magic number. */
    static void checkTable(Path file) throws IOException {
        if (!Files.isRegularFile(file) || Files.size(file) < 8) {
            return;
        }
        try (SeekableByteChannel channel = Files.newByteChannel(file)) {
            ByteBuffer magic = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            channel.position(channel.size() - 8);
            while (magic.hasRemaining() && channel.read(magic) >= 0) {
                // read the last 8 bytes
            }
            String format = ROCKSDB_TABLE_MAGIC.get(magic.flip().getLong());
            if (format != null) {
                throw new CliException(ExitCodes.USAGE, file + ": is a RocksDB " + format
                        + " table, not LevelDB (lsm reads LevelDB's formats only)");
            }
        }
    }

    /** Refuses a RocksDB MANIFEST when {@code e} is a version edit tag only RocksDB writes. */
    static void checkManifestTag(Path file, CorruptionException e) {
        rocksDbTag(e.reason()).ifPresent(tag -> {
            throw new CliException(ExitCodes.USAGE, file + ": is a RocksDB MANIFEST (version edit tag " + tag
                    + "), not LevelDB (lsm reads LevelDB's formats only)");
        });
    }

    /** The RocksDB tag named by an "unknown tag N" message, as {@code N (name)}. */
    static Optional<String> rocksDbTag(String message) {
        Matcher matcher = UNKNOWN_TAG.matcher(message);
        if (!matcher.find()) {
            return Optional.empty();
        }
        long tag = Long.parseLong(matcher.group(1));
        if (tag >= ROCKSDB_SAFE_IGNORE_TAGS && tag < 2 * ROCKSDB_SAFE_IGNORE_TAGS) {
            return Optional.of(tag + " (a safe-to-ignore tag)");
        }
        String name = tag <= Integer.MAX_VALUE ? ROCKSDB_TAGS.get((int) tag) : null;
        return name == null ? Optional.empty() : Optional.of(tag + " (" + name + ")");
    }

    /**
     * Refuses a RocksDB store directory, told by the files only RocksDB writes ({@code IDENTITY},
     * {@code OPTIONS-NNNNNN}) or by its live table's magic.
     */
    static void checkDirectory(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return;
        }
        Optional<String> marker;
        try (Stream<Path> files = Files.list(directory)) {
            marker = files.map(f -> f.getFileName().toString())
                    .filter(n -> n.equals("IDENTITY") || n.startsWith("OPTIONS-")).sorted().findFirst();
        }
        if (marker.isPresent()) {
            throw new CliException(ExitCodes.USAGE, directory + ": is a RocksDB store (it has " + marker.get()
                    + "), not LevelDB; lsm reads and writes LevelDB stores only");
        }
    }
}
