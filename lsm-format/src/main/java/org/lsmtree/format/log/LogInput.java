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
                if (lookahead == null) {
                    lookahead = new byte[BLOCK_SIZE];
                }
                bytes = lookahead;
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

    @Override
    public void close() throws IOException {
        if (sequential != null) {
            sequential.close();
        } else {
            random.close();
        }
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
