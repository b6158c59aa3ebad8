package org.lsmtree.sstable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.lsmtree.format.iterator.Slice;
import org.lsmtree.format.key.BytewiseComparator;
import org.lsmtree.format.key.InternalKey;
import org.lsmtree.format.key.ValueType;
import org.lsmtree.format.storage.ByteArrayWritableFile;
import org.lsmtree.format.storage.SizeOnlyWritableFile;

/**
 * {@link TableBuilder} given views ({@link Slice}, array ranges) of keys and values in buffers
 * that are overwritten after each add, as a flush (memtable arena) and a compaction (merging
 * iterator) give them: the table is byte for byte the one the array API writes, for internal and
 * plain keys, with and without a filter and shortened index keys; and adding allocates nothing
 * per entry (counted with the thread's allocated bytes, not timed; the file keeps only its size).
 */
class TableBuilderViewsTest {

    /** Internal keys of 16-byte user keys with increasing sequences, in order, from {@code seed}. */
    private static byte[][] keys(long seed, int count) {
        Random random = new Random(seed);
        System.out.println("TableBuilderViewsTest seed " + seed);
        byte[][] keys = new byte[count][];
        for (int i = 0; i < count; i++) {
            byte[] user = String.format("user%06d%06d", i, random.nextInt(1_000_000)).getBytes();
            keys[i] = InternalKey.encode(user, 1000 + i, random.nextInt(5) == 0 ? ValueType.DELETE : ValueType.PUT);
        }
        return keys;
    }

    private static byte[] value(Random random) {
        byte[] value = new byte[random.nextInt(150)];
        random.nextBytes(value);
        return value;
    }

    private static byte[] writeWithArrays(TableOptions options, byte[][] keys, long seed) throws IOException {
        Random random = new Random(seed);
        ByteArrayWritableFile out = new ByteArrayWritableFile();
        try (TableBuilder builder = new TableBuilder(out, options)) {
            for (byte[] key : keys) {
                builder.add(key, value(random));
            }
            builder.finish();
        }
        return out.toByteArray();
    }

    /** Adds each entry from inside one shared buffer at a moving offset, then scribbles over it. */
    private static byte[] writeWithViews(TableOptions options, byte[][] keys, long seed) throws IOException {
        Random random = new Random(seed);
        ByteArrayWritableFile out = new ByteArrayWritableFile();
        byte[] shared = new byte[512];
        Slice key = new Slice();
        Slice value = new Slice();
        try (TableBuilder builder = new TableBuilder(out, options)) {
            for (int i = 0; i < keys.length; i++) {
                byte[] v = value(random);
                int at = i % 37;
                System.arraycopy(keys[i], 0, shared, at, keys[i].length);
                System.arraycopy(v, 0, shared, at + keys[i].length, v.length);
                if (i % 2 == 0) {
                    builder.add(key.set(shared, at, keys[i].length), value.set(shared, at + keys[i].length, v.length));
                } else {
                    builder.add(shared, at, keys[i].length, shared, at + keys[i].length, v.length);
                }
                Arrays.fill(shared, (byte) 0x5a); // what the builder kept of the views must not change
            }
            assertThat(builder.smallestKey()).isEqualTo(keys[0]);
            assertThat(builder.largestKey()).isEqualTo(keys[keys.length - 1]);
            builder.finish();
        }
        return out.toByteArray();
    }

    @Test
    void viewsOfAReusedBufferWriteTheSameBytesAsArrays() throws IOException {
        long seed = System.nanoTime();
        byte[][] keys = keys(seed, 3000);
        TableOptions internal = TableOptions.defaults();
        TableOptions[] variants = {internal, internal.withBloomBitsPerKey(0), internal.withRestartInterval(1),
            internal.withCompression(Compression.SNAPPY), internal.withBlockSize(256)};
        for (TableOptions options : variants) {
            assertThat(writeWithViews(options, keys, seed)).as("%s (seed %d)", options, seed)
                    .isEqualTo(writeWithArrays(options, keys, seed));
        }
        byte[][] plain = new byte[keys.length][];
        for (int i = 0; i < keys.length; i++) {
            plain[i] = InternalKey.userKeyOf(keys[i]);
        }
        TableOptions plainOptions = TableOptions.forPlainKeys(BytewiseComparator.INSTANCE).withBlockSize(512);
        assertThat(writeWithViews(plainOptions, plain, seed)).as("plain keys (seed %d)", seed)
                .isEqualTo(writeWithArrays(plainOptions, plain, seed));
    }

    @Test
    void aViewOutOfOrderOrOutOfItsArrayIsTheCallersMistake() throws IOException {
        try (TableBuilder builder = new TableBuilder(new ByteArrayWritableFile(), TableFixtures.PLAIN)) {
            byte[] buffer = "abcabd".getBytes();
            builder.add(buffer, 3, 3, buffer, 0, 0); // "abd"
            assertThatThrownBy(() -> builder.add(buffer, 0, 3, buffer, 0, 0)) // "abc"
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("out of order");
            assertThatThrownBy(() -> builder.add(buffer, 4, 3, buffer, 0, 0)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThat(builder.entryCount()).isEqualTo(1);
        }
    }

    @Test
    void addingViewsAllocatesNothingPerEntry() throws IOException {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        int count = 20_000;
        byte[] arena = new byte[count * 48];
        Random random = new Random(7);
        byte[] someValue = new byte[24];
        for (int i = 0; i < count; i++) { // 24-byte internal key, then a 24-byte value
            byte[] key = InternalKey.encode(String.format("key%013d", i).getBytes(), i, ValueType.PUT);
            System.arraycopy(key, 0, arena, i * 48, key.length);
            random.nextBytes(someValue);
            System.arraycopy(someValue, 0, arena, i * 48 + 24, someValue.length);
        }
        Slice key = new Slice();
        Slice value = new Slice();
        long bytes;
        try (TableBuilder builder = new TableBuilder(new SizeOnlyWritableFile(), TableOptions.defaults())) {
            builder.add(key.set(arena, 0, 24), value.set(arena, 24, 24)); // the first key is copied once
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 1; i < count; i++) {
                builder.add(key.set(arena, i * 48, 24), value.set(arena, i * 48 + 24, 24));
            }
            bytes = threads.getCurrentThreadAllocatedBytes() - before;
            builder.finish();
        }
        double perEntry = bytes / (double) count;
        System.out.printf("TableBuilder.add of views: %d bytes allocated for %d entries (%.1f per entry)%n",
                bytes, count, perEntry);
        // What is left is per block (handle, separator, checksum), per filter and the buffers' growth:
        // a copy of each key alone (24 bytes and a 16-byte header) would be 40 per entry.
        assertThat(perEntry).as("bytes allocated per entry added").isLessThan(16);
    }
}
