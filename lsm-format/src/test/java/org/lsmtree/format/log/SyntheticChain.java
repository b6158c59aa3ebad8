package org.lsmtree.format.log;

import static org.lsmtree.format.log.LogFormat.BLOCK_SIZE;
import static org.lsmtree.format.log.LogFormat.HEADER_SIZE;

import java.util.Arrays;
import org.lsmtree.format.Crc32c;
import org.lsmtree.format.LittleEndian;
import org.lsmtree.format.storage.RandomReadFile;
import org.lsmtree.format.storage.SequentialFile;

/**
 * A log of any size that exists only as a rule, so a test can read hundreds of MiB without
 * holding them: one record of zeros cut into a FIRST fragment and MIDDLE fragments that fill
 * their blocks, then (when {@code lastLength >= 0}) a LAST fragment of that many zeros, then
 * (when {@code trailingFull}) a small FULL record {@code 1 2 3}.
 */
final class SyntheticChain {
    static final byte[] TRAILING_RECORD = {1, 2, 3};
    private static final int FILL = BLOCK_SIZE - HEADER_SIZE;

    private final int fullBlocks;
    private final int lastLength;
    private final boolean trailingFull;
    private final byte[] first = header(RecordType.FIRST, new byte[FILL]);
    private final byte[] middle = header(RecordType.MIDDLE, new byte[FILL]);
    private final byte[] lastBlock;

    /** {@code fullBlocks} blocks of FIRST then MIDDLE, then the LAST fragment and the FULL record if asked. */
    SyntheticChain(int fullBlocks, int lastLength, boolean trailingFull) {
        this.fullBlocks = fullBlocks;
        this.lastLength = lastLength;
        this.trailingFull = trailingFull;
        byte[] tail = new byte[0];
        if (lastLength >= 0) {
            tail = concat(header(RecordType.LAST, new byte[lastLength]), new byte[lastLength]);
        }
        if (trailingFull) {
            tail = concat(tail, concat(header(RecordType.FULL, TRAILING_RECORD), TRAILING_RECORD));
        }
        this.lastBlock = tail;
    }

    /** The payload size of the chained record if it is complete. */
    long recordSize() {
        return (long) fullBlocks * FILL + Math.max(lastLength, 0);
    }

    long size() {
        return (long) fullBlocks * BLOCK_SIZE + lastBlock.length;
    }

    /** Copies {@code count} bytes at {@code position} (all within the file) into {@code target}. */
    private void fill(long position, byte[] target, int offset, int count) {
        while (count > 0) {
            long block = position / BLOCK_SIZE;
            int in = (int) (position % BLOCK_SIZE);
            int n;
            if (block == fullBlocks) {
                n = count;
                System.arraycopy(lastBlock, in, target, offset, n);
            } else {
                n = Math.min(count, BLOCK_SIZE - in);
                Arrays.fill(target, offset, offset + n, (byte) 0);
                byte[] header = block == 0 ? first : middle;
                for (int i = in; i < HEADER_SIZE && i < in + n; i++) {
                    target[offset + i - in] = header[i];
                }
            }
            position += n;
            offset += n;
            count -= n;
        }
    }

    RandomReadFile randomAccess() {
        return new RandomReadFile() {
            @Override
            public int read(long position, byte[] target, int offset, int length) {
                int n = (int) Math.max(0, Math.min(length, size() - position));
                fill(position, target, offset, n);
                return n;
            }

            @Override
            public long size() {
                return SyntheticChain.this.size();
            }

            @Override
            public void close() {}
        };
    }

    SequentialFile sequential() {
        return new SequentialFile() {
            private long position;

            @Override
            public int read(byte[] target, int offset, int length) {
                if (position >= size() && length > 0) {
                    return -1;
                }
                int n = (int) Math.min(length, size() - position);
                fill(position, target, offset, n);
                position += n;
                return n;
            }

            @Override
            public long skip(long count) {
                long n = Math.min(count, size() - position);
                position += n;
                return n;
            }

            @Override
            public long position() {
                return position;
            }

            @Override
            public void close() {}
        };
    }

    private static byte[] header(RecordType type, byte[] payload) {
        byte[] header = new byte[HEADER_SIZE];
        LittleEndian.putFixed32(header, 0, Crc32c.mask(Crc32c.compute((byte) type.code(), payload, 0, payload.length)));
        header[4] = (byte) payload.length;
        header[5] = (byte) (payload.length >>> 8);
        header[6] = (byte) type.code();
        return header;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] joined = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, joined, a.length, b.length);
        return joined;
    }
}
