package org.lsmtree.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lsmtree.testing.SeededCases;

/**
 * The arena hands out aligned pieces that never overlap, and counts its bytes exactly: every
 * piece with its alignment, the tails of chunks it left behind, and large pieces at their size.
 */
class ArenaTest {

    @Test
    void piecesAreAlignedApartAndCountedToTheByte() {
        SeededCases.check(50, random -> {
            Arena arena = new Arena();
            List<long[]> pieces = new ArrayList<>(); // address, size
            long expectedBytes = 0;
            long expectedHeap = 0;
            int position = -1; // in the current chunk; -1 before the first
            for (int n = random.intBetween(1, 400); n > 0; n--) {
                int size = random.oneIn(30) ? random.intBetween(Arena.LARGE_PIECE + 1, 3 * Arena.CHUNK_SIZE)
                        : random.intBetween(1, Arena.LARGE_PIECE);
                long address = arena.allocate(size);
                if (size > Arena.LARGE_PIECE) {
                    expectedBytes += Arena.ALIGNMENT_SHIFT + size;
                    expectedHeap += Arena.ALIGNMENT_SHIFT + size;
                    assertThat(Arena.offset(address)).isEqualTo(Arena.ALIGNMENT_SHIFT);
                    assertThat(arena.chunk(address)).hasSize(Arena.ALIGNMENT_SHIFT + size);
                } else {
                    int start = position < 0 ? Integer.MAX_VALUE
                            : ((position - Arena.ALIGNMENT_SHIFT + 7) & ~7) + Arena.ALIGNMENT_SHIFT;
                    if (position < 0 || start + size > Arena.CHUNK_SIZE) {
                        if (position >= 0) {
                            expectedBytes += Arena.CHUNK_SIZE - position;
                        }
                        expectedHeap += Arena.CHUNK_SIZE;
                        position = 0;
                        start = Arena.ALIGNMENT_SHIFT;
                    }
                    expectedBytes += start + size - position;
                    position = start + size;
                    assertThat(Arena.offset(address)).isEqualTo(start);
                }
                assertThat((Arena.offset(address) - Arena.ALIGNMENT_SHIFT) % 8).isZero();
                pieces.add(new long[] {address, size});
                assertThat(arena.bytes()).isEqualTo(expectedBytes);
                assertThat(arena.heapBytes()).isEqualTo(expectedHeap);
            }
            for (int p = 0; p < pieces.size(); p++) { // each piece marked with its own index
                long[] piece = pieces.get(p);
                java.util.Arrays.fill(arena.chunk(piece[0]), Arena.offset(piece[0]),
                        Arena.offset(piece[0]) + (int) piece[1], (byte) p);
            }
            for (int p = 0; p < pieces.size(); p++) {
                long[] piece = pieces.get(p);
                byte[] chunk = arena.chunk(piece[0]);
                for (int i = 0; i < piece[1]; i++) {
                    if (chunk[Arena.offset(piece[0]) + i] != (byte) p) {
                        throw new AssertionError("piece " + p + " overwritten at byte " + i);
                    }
                }
            }
        });
    }

    @Test
    void aPieceOfNoBytesIsRefused() {
        assertThatThrownBy(() -> new Arena().allocate(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
