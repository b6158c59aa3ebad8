package org.lsmtree.engine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import org.lsmtree.format.key.BytewiseComparator;
import org.lsmtree.format.key.InternalKey;
import org.lsmtree.format.key.UserComparator;

/**
 * A skip list of internal keys with values, whose nodes live in an {@link Arena}: no object per
 * entry, and keys compared on their bytes where they lie (LevelDB's {@code SkipList} over its
 * {@code Arena}, with RocksDB's trick of putting a node's links before it, so that its height need
 * not be stored). The writer remembers the last node of each level, so that keys added in order
 * (a sequential fill) are appended without a search.
 *
 * <p>Node layout at address {@code n} (offset {@code o} in its chunk, 8-byte aligned), for a node
 * of height {@code h}:
 *
 * <pre>
 * o - 8h .. o        next[h-1] ... next[0]: addresses of the following node per level (0 = none)
 * o      .. o + 4    int: internal key length k (user key + 8-byte trailer)
 * o + 4  .. o + 8    int: value length v
 * o + 8  .. o + 8+k  the internal key: user key, then the trailer (fixed64 of seq << 8 | type)
 * o+8+k  .. +v       the value
 * </pre>
 *
 * Order: user key under the {@link UserComparator}, then descending trailer (newest first), the
 * order of {@code InternalKeyComparator}; keys never repeat (every entry has its own sequence).
 *
 * <p>Thread-safety: one writer ({@link #insert}), any number of concurrent readers without locks.
 * The writer fills a node's bytes and its own links with plain writes, then links it in bottom-up
 * with a release store of each predecessor's link; readers follow links with acquire loads, so a
 * node a reader reaches is whole. A reader racing an insert may or may not see the new node.
 */
final class ArenaSkipList {
    static final int MAX_HEIGHT = 12;
    /** The largest node: one byte array holds it (a write batch is smaller still). */
    static final int MAX_NODE_BYTES = Integer.MAX_VALUE - 64;
    private static final int HEADER = 8;
    private static final int TRAILER = InternalKey.TRAILER_SIZE;
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class,
            java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle HEAD = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle COUNT;

    static {
        try {
            COUNT = MethodHandles.lookup().findVarHandle(ArenaSkipList.class, "count", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Arena arena;
    private final UserComparator userComparator;
    private final boolean bytewise;
    /** The head's links per level; the head itself has address 0 as a "from" node. */
    private final long[] head = new long[MAX_HEIGHT];
    private final long[] splice = new long[MAX_HEIGHT]; // the writer's predecessors, reused
    private final long[] tails = new long[MAX_HEIGHT]; // the writer's: the last node per level (0: none)
    private volatile int height = 1;
    private volatile int count;
    private long random = 0x9E3779B97F4A7C15L; // the writer's xorshift state: heights are deterministic

    ArenaSkipList(Arena arena, UserComparator userComparator) {
        this.arena = arena;
        this.userComparator = userComparator;
        this.bytewise = userComparator instanceof BytewiseComparator;
    }

    /**
     * Adds the entry of user key {@code key[keyOffset, +keyLength)} with {@code trailer} and value
     * {@code value[valueOffset, +valueLength)}, copying them into the arena. Only the writer calls
     * it; the key with its trailer must not be in the list yet.
     */
    void insert(byte[] key, int keyOffset, int keyLength, long trailer, byte[] value, int valueOffset,
            int valueLength) {
        int listHeight = height;
        if (tails[0] != 0 && compare(tails[0], key, keyOffset, keyLength, trailer) < 0) {
            System.arraycopy(tails, 0, splice, 0, listHeight); // an append (keys in order): no search
        } else {
            long following = findGreaterOrEqual(key, keyOffset, keyLength, trailer, splice);
            assert following == 0 || compare(following, key, keyOffset, keyLength, trailer) != 0
                    : "an entry of sequence " + (trailer >>> 8) + " added twice";
        }
        int nodeHeight = randomHeight();
        for (int level = listHeight; level < nodeHeight; level++) {
            splice[level] = 0;
        }
        int internalLength = keyLength + TRAILER;
        long nodeBytes = 8L * nodeHeight + HEADER + internalLength + valueLength;
        com.google.common.base.Preconditions.checkArgument(nodeBytes <= MAX_NODE_BYTES,
                "an entry of a %s-byte key and a %s-byte value is too large for the memtable", keyLength, valueLength);
        long start = arena.allocate((int) nodeBytes);
        long node = start + 8L * nodeHeight;
        byte[] chunk = arena.chunk(node);
        int o = Arena.offset(node);
        INTS.set(chunk, o, internalLength);
        INTS.set(chunk, o + 4, valueLength);
        System.arraycopy(key, keyOffset, chunk, o + HEADER, keyLength);
        Arena.LONGS.set(chunk, o + HEADER + keyLength, trailer);
        System.arraycopy(value, valueOffset, chunk, o + HEADER + internalLength, valueLength);
        for (int level = 0; level < nodeHeight; level++) {
            long following = next(splice[level], level);
            Arena.LONGS.set(chunk, o - 8 * (level + 1), following);
            if (following == 0) {
                tails[level] = node;
            }
        }
        if (nodeHeight > listHeight) {
            height = nodeHeight; // readers seeing the new height early find empty head links: harmless
        }
        for (int level = 0; level < nodeHeight; level++) {
            setNext(splice[level], level, node);
        }
        COUNT.setRelease(this, count + 1); // the one writer: a release store, no full fence
    }

    /** The number of entries. */
    int size() {
        return count;
    }

    /**
     * The first node at or after the key {@code (key[keyOffset, +keyLength), trailer)}, or 0;
     * fills {@code predecessors} (when not null) with the last node before it per level.
     */
    long findGreaterOrEqual(byte[] key, int keyOffset, int keyLength, long trailer, long[] predecessors) {
        long x = 0;
        int level = height - 1;
        long notBefore = 0; // the last node found at or after the key: met again a level down, it needs no comparison
        while (true) {
            long next = next(x, level);
            if (next != 0 && next != notBefore && compare(next, key, keyOffset, keyLength, trailer) < 0) {
                x = next;
            } else {
                notBefore = next;
                if (predecessors != null) {
                    predecessors[level] = x;
                }
                if (level == 0) {
                    return next;
                }
                level--;
            }
        }
    }

    /** The last node before the key {@code (key[keyOffset, +keyLength), trailer)}, or 0. */
    long findLessThan(byte[] key, int keyOffset, int keyLength, long trailer) {
        long x = 0;
        int level = height - 1;
        while (true) {
            long next = next(x, level);
            if (next != 0 && compare(next, key, keyOffset, keyLength, trailer) < 0) {
                x = next;
            } else if (level == 0) {
                return x;
            } else {
                level--;
            }
        }
    }

    /** The last node, or 0 when the list is empty. */
    long findLast() {
        long x = 0;
        int level = height - 1;
        while (true) {
            long next = next(x, level);
            if (next != 0) {
                x = next;
            } else if (level == 0) {
                return x;
            } else {
                level--;
            }
        }
    }

    /** The node after {@code node} on {@code level} (0 = none); node 0 is the head. */
    long next(long node, int level) {
        if (node == 0) {
            return (long) HEAD.getAcquire(head, level);
        }
        return (long) Arena.LONGS.getAcquire(arena.chunk(node), Arena.offset(node) - 8 * (level + 1));
    }

    /** The chunk holding {@code node}'s bytes. */
    byte[] chunk(long node) {
        return arena.chunk(node);
    }

    /** Where {@code node}'s internal key starts in its chunk. */
    static int keyOffset(long node) {
        return Arena.offset(node) + HEADER;
    }

    /** The length of {@code node}'s internal key (user key and trailer). */
    static int keyLength(byte[] chunk, long node) {
        return (int) INTS.get(chunk, Arena.offset(node));
    }

    /** The length of {@code node}'s value. */
    static int valueLength(byte[] chunk, long node) {
        return (int) INTS.get(chunk, Arena.offset(node) + 4);
    }

    /** {@code node}'s trailer: {@code sequence << 8 | type}. */
    static long trailer(byte[] chunk, long node) {
        return (long) Arena.LONGS.get(chunk, keyOffset(node) + keyLength(chunk, node) - TRAILER);
    }

    /** Whether {@code node}'s user key equals {@code key[keyOffset, +keyLength)} under the user order. */
    boolean hasUserKey(long node, byte[] key, int keyOffset, int keyLength) {
        byte[] chunk = arena.chunk(node);
        int start = keyOffset(node);
        int userLength = keyLength(chunk, node) - TRAILER;
        if (bytewise) {
            return Arrays.equals(chunk, start, start + userLength, key, keyOffset, keyOffset + keyLength);
        }
        return userComparator.compare(Arrays.copyOfRange(chunk, start, start + userLength),
                Arrays.copyOfRange(key, keyOffset, keyOffset + keyLength)) == 0;
    }

    /** {@code node}'s key against the key {@code (key[keyOffset, +keyLength), trailer)}: negative when the node's comes first. */
    private int compare(long node, byte[] key, int keyOffset, int keyLength, long trailer) {
        byte[] chunk = arena.chunk(node);
        int start = keyOffset(node);
        int userLength = keyLength(chunk, node) - TRAILER;
        int byUser = bytewise
                ? Arrays.compareUnsigned(chunk, start, start + userLength, key, keyOffset, keyOffset + keyLength)
                : userComparator.compare(Arrays.copyOfRange(chunk, start, start + userLength),
                        Arrays.copyOfRange(key, keyOffset, keyOffset + keyLength));
        if (byUser != 0) {
            return byUser;
        }
        return Long.compareUnsigned(trailer, (long) Arena.LONGS.get(chunk, start + userLength));
    }

    private void setNext(long node, int level, long target) {
        if (node == 0) {
            HEAD.setRelease(head, level, target);
        } else {
            Arena.LONGS.setRelease(arena.chunk(node), Arena.offset(node) - 8 * (level + 1), target);
        }
    }

    /** 1 with probability 3/4, each further level with probability 1/4 (LevelDB's branching). */
    private int randomHeight() {
        int h = 1;
        while (h < MAX_HEIGHT) {
            random ^= random << 13;
            random ^= random >>> 7;
            random ^= random << 17;
            if ((random & 3) != 0) {
                break;
            }
            h++;
        }
        return h;
    }
}
