package org.lsmtree.engine;

/**
 * What one source (a memtable, a table) knows about a user key at a snapshot: a value, a
 * tombstone, or nothing, in which case older sources must be asked. A found value is either
 * shared with the source (a memtable's stored array: the reader copies it before handing it out)
 * or a fresh array made for this lookup (handed out as it is, so a get copies a value once).
 */
record Lookup(State state, byte[] value, boolean shared) {
    enum State { FOUND, DELETED, ABSENT }

    static final Lookup ABSENT = new Lookup(State.ABSENT, null, false);
    static final Lookup DELETED = new Lookup(State.DELETED, null, false);

    /** A value the source still holds: {@link #valueForCaller()} copies it. */
    static Lookup found(byte[] value) {
        return new Lookup(State.FOUND, value, true);
    }

    /** A value copied out for this lookup alone: {@link #valueForCaller()} hands it out as it is. */
    static Lookup foundCopy(byte[] value) {
        return new Lookup(State.FOUND, value, false);
    }

    /** Whether this source settled the question (a value or a tombstone). */
    boolean isSettled() {
        return state != State.ABSENT;
    }

    /** The value as the reader returns it (an array the caller keeps), or null for a tombstone or nothing. */
    byte[] valueForCaller() {
        if (state != State.FOUND) {
            return null;
        }
        return shared ? value.clone() : value;
    }
}
