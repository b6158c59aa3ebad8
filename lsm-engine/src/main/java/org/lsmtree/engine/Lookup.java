package org.lsmtree.engine;

/**
 * What one source (a memtable, a table) knows about a user key at a snapshot: a value, a
 * tombstone, or nothing, in which case older sources must be asked.
 */
record Lookup(State state, byte[] value) {
    enum State { FOUND, DELETED, ABSENT }

    static final Lookup ABSENT = new Lookup(State.ABSENT, null);
    static final Lookup DELETED = new Lookup(State.DELETED, null);

    static Lookup found(byte[] value) {
        return new Lookup(State.FOUND, value);
    }

    /** Whether this source settled the question (a value or a tombstone). */
    boolean isSettled() {
        return state != State.ABSENT;
    }
}
