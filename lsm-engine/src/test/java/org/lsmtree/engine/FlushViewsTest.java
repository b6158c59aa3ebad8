package org.lsmtree.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lsmtree.format.iterator.InternalIterator;
import org.lsmtree.format.iterator.Slice;
import org.lsmtree.format.key.BytewiseComparator;
import org.lsmtree.format.key.InternalKey;
import org.lsmtree.format.key.InternalKeyComparator;
import org.lsmtree.format.key.ValueType;
import org.lsmtree.format.storage.NioStorage;
import org.lsmtree.manifest.FileMetadata;

/**
 * A flush ({@link MemTable#writeTo} into {@link TableWriting}) hands the table views of the
 * memtable's arena, not copies, and allocates nothing per entry above the table itself: counted
 * with the thread's allocated bytes over a table that only counts what it is given (no timing).
 * The files it reports still carry their own copies of the smallest and largest keys.
 */
class FlushViewsTest {
    private static final InternalKeyComparator ORDER = new InternalKeyComparator(BytewiseComparator.INSTANCE);

    /** A table format whose tables keep nothing: they count what they are given (and, when asked, show it). */
    private static final class CountingFormat implements TableFormat {
        final List<String> shown;
        long entries;
        long bytes;
        long viewsIntoLargerArrays;

        CountingFormat(boolean show) {
            shown = show ? new ArrayList<>() : null;
        }

        @Override
        public Path fileFor(Path directory, long number) {
            return directory.resolve(number + ".ldb");
        }

        @Override
        public TableSink create(Path file) {
            return new TableSink() {
                @Override
                public void add(Slice internalKey, Slice value) {
                    if (shown != null) {
                        shown.add(text(internalKey.toByteArray()) + "=" + text(value.toByteArray()));
                    }
                    entries++;
                    bytes += internalKey.length() + value.length();
                    if (internalKey.array().length > internalKey.length()) {
                        viewsIntoLargerArrays++;
                    }
                }

                @Override
                public long estimatedSize() {
                    return bytes;
                }

                @Override
                public long finish() {
                    return bytes;
                }

                @Override
                public void close() {}
            };
        }

        @Override
        public TableSource open(Path file, long number, long size) {
            throw new UnsupportedOperationException("not read in this test");
        }
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    private static MemTable filled(int count) {
        MemTable memTable = new MemTable(ORDER);
        for (int i = 0; i < count; i++) {
            memTable.add(i + 1, i % 7 == 0 ? ValueType.DELETE : ValueType.PUT,
                    String.format("key%09d", i).getBytes(), String.format("value %d of the flush", i).getBytes());
        }
        return memTable;
    }

    @Test
    void aFlushHandsTheTableViewsOfTheArenaAndAllocatesNothingPerEntry() throws IOException {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        int count = 50_000;
        MemTable memTable = filled(count);
        CountingFormat format = new CountingFormat(false);
        try (FileSystem fs = Jimfs.newFileSystem(Configuration.unix())) {
            long[] numbers = {10};
            TableWriting out = new TableWriting(NioStorage.of(fs), fs.getPath("/db"), format, () -> numbers[0]++,
                    Long.MAX_VALUE, BytewiseComparator.INSTANCE);
            memTable.writeTo(out, 0); // warms the path up: no entry is at or below sequence 0
            long before = threads.getCurrentThreadAllocatedBytes();
            memTable.writeTo(out, Long.MAX_VALUE);
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            List<FileMetadata> files = out.finish();
            System.out.printf("a flush of %d entries allocated %d bytes above the table (%.2f per entry)%n", count,
                    allocated, allocated / (double) count);
            assertThat(format.entries).isEqualTo(count);
            assertThat(format.viewsIntoLargerArrays).as("keys shown inside the arena's chunks").isEqualTo(count);
            // One iterator, two slices, the first key copied: a copy of every key alone would be 40 bytes each.
            assertThat(allocated).as("bytes allocated by the flush above the table").isLessThan(count / 10);
            assertThat(files).hasSize(1);
            assertThat(files.get(0).smallest()).isEqualTo(InternalKey.encode("key000000000".getBytes(), 1, ValueType.DELETE));
            assertThat(files.get(0).largest()).isEqualTo(
                    InternalKey.encode(String.format("key%09d", count - 1).getBytes(), count, ValueType.PUT));
        }
    }

    @Test
    void theEntriesAFlushHandsOnAreTheMemtablesInOrder() throws IOException {
        MemTable memTable = filled(500);
        CountingFormat recording = new CountingFormat(true);
        try (FileSystem fs = Jimfs.newFileSystem(Configuration.unix())) {
            TableWriting out = new TableWriting(NioStorage.of(fs), fs.getPath("/db"), recording, () -> 10,
                    Long.MAX_VALUE, BytewiseComparator.INSTANCE);
            memTable.writeTo(out, 300); // entries above sequence 300 stay out
            out.finish();
        }
        List<String> expected = new ArrayList<>();
        try (InternalIterator entries = memTable.iterator()) {
            for (entries.seekToFirst(); entries.isValid(); entries.next()) {
                if (InternalKey.trailerOf(entries.key()) >>> 8 <= 300) {
                    expected.add(text(entries.key()) + "=" + text(entries.value()));
                }
            }
        }
        assertThat(recording.shown).hasSize(300).isEqualTo(expected);
    }
}
