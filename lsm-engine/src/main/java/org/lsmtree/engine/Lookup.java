package org.lsmtree.engine;

/**
 * What one source (a memtable, a table) knows about a user key at a snapshot: a value, a
 * tombstone, or nothing, in which case older sources must be asked. A value is either the
 * source's own (the caller must not change it) or a copy made for this lookup ({@code copied}).
 */
record Lookup(State state, byte[] value, boolean copied) {
    enum State { FOUND, DELETED, ABSENT }

    static final Lookup ABSENT = new Lookup(State.ABSENT, null, false);
    static final Lookup DELETED = new Lookup(State.DELETED, null, false);

    /** A value the source keeps (shared): {@link #valueForCaller()} copies it. */
    static Lookup found(byte[] value) {
        return new Lookup(State.FOUND, value, false);
    }

    /** A value copied for this lookup alone: {@link #valueForCaller()} hands it over as it is. */
    static Lookup foundCopy(byte[] value) {
        return new Lookup(State.FOUND, value, true);
    }

    /** The value as the store's caller may keep and change it: a copy, made only if it is not one yet. */
    byte[] valueForCaller() {
        return copied ? value : value.clone();
    }

    /** Whether this source settled the question (a value or a tombstone). */
    boolean isSettled() {
        return state != State.ABSENT;
    }
}
