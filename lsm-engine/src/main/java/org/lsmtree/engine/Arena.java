package org.lsmtree.engine;

import com.google.common.base.Preconditions;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The memory of one memtable: heap byte chunks of {@link #CHUNK_SIZE} bytes, handed out in
 * 8-byte-aligned pieces that live as long as the arena (nothing is ever freed alone). A piece
 * larger than a quarter of a chunk gets a chunk of its own, of exactly its size, so entries up to
 * the largest WAL record fit and a big entry wastes no chunk tail.
 *
 * <p>Addresses: {@code chunkIndex << 32 | offset}; chunk 0 is never used, so address 0 means
 * "none". Pieces start at offsets congruent to {@link #ALIGNMENT_SHIFT} mod 8, which makes the
 * array element addresses 8-byte aligned, as {@link VarHandle} acquire and release accesses to
 * {@code long}s in a {@code byte[]} require.
 *
 * <p>Accounting: {@link #bytes()} is the bytes handed out (padding included) plus the unused tails
 * of chunks left behind, exact to the byte; {@link #heapBytes()} adds the unused rest of the
 * current chunk, which is what the arena holds on the heap.
 *
 * <p>Thread-safety: one thread allocates and writes (the memtable's writer); readers may call
 * {@link #chunk} for any address they obtained through a release/acquire pair after the writer
 * allocated it (the chunk table is published before any address in it).
 */
final class Arena {
    /** Bytes per ordinary chunk: under G1's humongous threshold for any region size. */
    static final int CHUNK_SIZE = 64 << 10;
    /** Pieces larger than this get a chunk of their own. */
    static final int LARGE_PIECE = CHUNK_SIZE / 4;

    /** A {@code long} view of a byte array, little-endian, for pointers and trailers. */
    static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /** The offset mod 8 at which a {@code long} in a byte array is aligned (0 on every 64-bit HotSpot). */
    static final int ALIGNMENT_SHIFT = alignmentShift();
    private static final VarHandle BYTES = field("bytes");
    private static final VarHandle HEAP_BYTES = field("heapBytes");

    private volatile byte[][] chunks = new byte[8][];
    private int chunkCount = 1; // chunk 0 stays null: address 0 is "none"
    private byte[] current;
    private int currentIndex;
    private int position;
    private volatile long bytes; // written by the writer alone, with release stores (grow)
    private volatile long heapBytes;

    /**
     * Reserves {@code size} bytes, 8-byte aligned, and returns their address. Only the writer
     * calls it.
     */
    long allocate(int size) {
        Preconditions.checkArgument(size > 0, "size %s", size);
        if (size > LARGE_PIECE) {
            byte[] own = new byte[ALIGNMENT_SHIFT + size];
            int index = addChunk(own);
            grow(own.length, own.length);
            return address(index, ALIGNMENT_SHIFT);
        }
        int start = current == null ? CHUNK_SIZE : align(position);
        if (start + size > CHUNK_SIZE) {
            if (current != null) {
                grow(CHUNK_SIZE - position, 0); // the tail left behind is spent
            }
            current = new byte[CHUNK_SIZE];
            currentIndex = addChunk(current);
            grow(0, CHUNK_SIZE);
            start = ALIGNMENT_SHIFT;
            position = 0;
        }
        grow(start + size - position, 0);
        position = start + size;
        return address(currentIndex, start);
    }

    /**
     * Adds to the counters with release stores: readers see them in order with the bytes counted,
     * and the one writer pays no full fence per allocation (what a volatile store would cost).
     */
    private void grow(long handedOut, long allocated) {
        if (allocated != 0) {
            HEAP_BYTES.setRelease(this, heapBytes + allocated);
        }
        BYTES.setRelease(this, bytes + handedOut);
    }

    /** The chunk holding {@code address}. */
    byte[] chunk(long address) {
        return chunks[(int) (address >>> 32)];
    }

    /** The offset of {@code address} in its chunk. */
    static int offset(long address) {
        return (int) address;
    }

    /** Bytes handed out or lost to chunk tails; never more than {@link #heapBytes()}. */
    long bytes() {
        return bytes;
    }

    /** Bytes of every chunk allocated: what the arena holds on the heap. */
    long heapBytes() {
        return heapBytes;
    }

    private int addChunk(byte[] chunk) {
        byte[][] table = chunks;
        if (chunkCount == table.length) {
            table = Arrays.copyOf(table, table.length * 2);
            table[chunkCount] = chunk;
            chunks = table; // published before any address in the new chunk is
        } else {
            table[chunkCount] = chunk;
        }
        return chunkCount++;
    }

    private static long address(int index, int offset) {
        return (long) index << 32 | offset;
    }

    private static int align(int offset) {
        return ((offset - ALIGNMENT_SHIFT + 7) & ~7) + ALIGNMENT_SHIFT;
    }

    private static VarHandle field(String name) {
        try {
            return MethodHandles.lookup().findVarHandle(Arena.class, name, long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static int alignmentShift() {
        byte[] probe = new byte[16];
        for (int shift = 0; shift < 8; shift++) {
            try {
                LONGS.getAcquire(probe, shift);
                return shift;
            } catch (IllegalStateException misaligned) {
                // try the next offset
            }
        }
        throw new ExceptionInInitializerError("no 8-byte aligned offset in a byte array");
    }
}
