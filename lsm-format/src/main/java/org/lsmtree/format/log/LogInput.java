package org.lsmtree.format.log;

import static org.lsmtree.format.log.LogFormat.BLOCK_SIZE;
import static org.lsmtree.format.log.LogFormat.HEADER_SIZE;

import java.io.Closeable;
import java.io.IOException;
import org.lsmtree.format.storage.RandomReadFile;
import org.lsmtree.format.storage.SequentialFile;

/**
 * Where a {@link LogReader} gets its blocks: a {@link SequentialFile}, read block after block, or a
 * {@link RandomReadFile}, which can also be read ahead ({@link #completedSize}) without losing the
 * reader's place. Not thread-safe.
 */
final class LogInput implements Closeable {
    private final SequentialFile sequential; // exactly one of sequential and random is set
    private final RandomReadFile random;
    private byte[] lookahead; // a block read ahead, allocated the first time one is needed
    private Boolean preallocated; // mayBePreallocated(), once asked

    private LogInput(SequentialFile sequential, RandomReadFile random) {
        this.sequential = sequential;
        this.random = random;
    }

    static LogInput of(SequentialFile file) {
        return new LogInput(file, null);
    }

    static LogInput of(RandomReadFile file) {
        return new LogInput(null, file);
    }

    /** Whether {@link #completedSize} can look ahead (only a random-access file can). */
    boolean canLookAhead() {
        return random != null;
    }

    /**
     * Reads the block at {@code start} into {@code block}; returns the bytes read, fewer than a
     * block only at the end of the file. Blocks must be read in order, one after the other.
     */
    int readBlock(long start, byte[] block) throws IOException {
        if (random != null) {
            return readAt(start, block, BLOCK_SIZE);
        }
        int filled = 0;
        while (filled < BLOCK_SIZE) {
            int read = sequential.read(block, filled, BLOCK_SIZE - filled);
            if (read <= 0) {
                break;
            }
            filled += read;
        }
        return filled;
    }

    /**
     * For a FIRST fragment of {@code firstLength} bytes that ends at file offset {@code after}, in
     * the block at {@code blockStart} held in {@code block}: the payload size of its record if the
     * fragment headers that follow lead to a LAST fragment within {@code maxSize}, or -1 (no LAST:
     * a torn or broken chain; or too large). Reads only what holds headers: the block given, then
     * one block at a time; checksums are left to the real read. Requires {@link #canLookAhead()}.
     */
    long completedSize(byte[] block, long blockStart, long after, int firstLength, int maxSize) throws IOException {
        long fileSize = random.size();
        long size = firstLength;
        long offset = after;
        long loaded = blockStart;
        byte[] bytes = block;
        while (size <= maxSize) {
            if (BLOCK_SIZE - offset % BLOCK_SIZE < HEADER_SIZE) {
                offset += BLOCK_SIZE - offset % BLOCK_SIZE;
            }
            if (offset + HEADER_SIZE > fileSize) {
                return -1;
            }
            long start = offset - offset % BLOCK_SIZE;
            if (start != loaded) {
                bytes = lookahead();
                readAt(start, bytes, (int) Math.min(BLOCK_SIZE, fileSize - start));
                loaded = start;
            }
            int at = (int) (offset - start);
            int length = (bytes[at + 4] & 0xff) | (bytes[at + 5] & 0xff) << 8;
            int type = bytes[at + 6] & 0xff;
            if (at + HEADER_SIZE + length > BLOCK_SIZE || offset + HEADER_SIZE + length > fileSize) {
                return -1;
            }
            size += length;
            if (type == RecordType.LAST.code()) {
                return size <= maxSize ? size : -1;
            }
            if (type != RecordType.MIDDLE.code()) {
                return -1;
            }
            offset += HEADER_SIZE + length;
        }
        return -1;
    }

    /**
     * Whether the file may end in a log writer's unused preallocation: it is a random-access file
     * whose length is a positive multiple of {@link LogFormat#PREALLOCATION_CHUNK} and whose last
     * byte is zero. A sequential file is never taken for one (its length is not known ahead).
     */
    boolean mayBePreallocated() throws IOException {
        if (preallocated == null) {
            long size = random == null ? 0 : random.size();
            byte[] last = new byte[1];
            preallocated = size > 0 && size % LogFormat.PREALLOCATION_CHUNK == 0
                    && readAt(size - 1, last, 1) == 1 && last[0] == 0;
        }
        return preallocated;
    }

    /** The file's length; requires {@link #canLookAhead()}. */
    long size() throws IOException {
        return random.size();
    }

    /**
     * The offset of the first fragment that starts after {@code from} and is checksummed (a known
     * type, its payload within its block and the file, a matching checksum), or -1: reads from
     * {@code from}'s block to the end of the file, one block at a time (fragments never cross a
     * block). Requires {@link #canLookAhead()}.
     */
    long checksummedFragmentAfter(long from) throws IOException {
        long size = random.size();
        byte[] bytes = lookahead();
        for (long start = from - from % BLOCK_SIZE; start < size; start += BLOCK_SIZE) {
            int length = readAt(start, bytes, (int) Math.min(BLOCK_SIZE, size - start));
            int at = FragmentScan.checksummedFragmentAfter(bytes, length, (int) Math.max(0, from - start));
            if (at >= 0) {
                return start + at;
            }
        }
        return -1;
    }

    @Override
    public void close() throws IOException {
        if (sequential != null) {
            sequential.close();
        } else {
            random.close();
        }
    }

    private byte[] lookahead() {
        if (lookahead == null) {
            lookahead = new byte[BLOCK_SIZE];
        }
        return lookahead;
    }

    /** Reads up to {@code length} bytes at {@code offset} of the random-access file; returns how many. */
    private int readAt(long offset, byte[] target, int length) throws IOException {
        int filled = 0;
        while (filled < length) {
            int read = random.read(offset + filled, target, filled, length - filled);
            if (read <= 0) {
                break;
            }
            filled += read;
        }
        return filled;
    }
}
