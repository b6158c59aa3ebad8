package org.lsmtree.cli;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * The expected-state oracle of the fault and process-kill tests: every batch issued to a store, in
 * order, with what its call said. An {@link Outcome#ACKNOWLEDGED} batch must be in the store; a
 * {@link Outcome#REJECTED} one (refused before it reached any file, e.g. by a store already
 * read-only) must not; an {@link Outcome#UNCERTAIN} one (its call failed or never returned) may
 * be in it or not, but only whole. The store is right when it equals the state after the
 * acknowledged batches with some choice of the uncertain ones, applied in issue order: every
 * acknowledged write is there, nothing deleted comes back, nothing is there that was never
 * written, and no batch is torn. A value of null in a batch is a delete.
 *
 * <p>Not thread-safe.
 */
final class ExpectedState {
    /** At most this many uncertain batches are tried in every combination. */
    private static final int MAX_UNCERTAIN = 12;

    /** What the call that issued a batch reported. */
    enum Outcome { ACKNOWLEDGED, UNCERTAIN, REJECTED }

    private record Issued(Map<String, String> batch, Outcome outcome) {}

    private final List<Issued> issued = new ArrayList<>();

    /** Records a batch and its outcome. */
    void issued(Map<String, String> batch, Outcome outcome) {
        issued.add(new Issued(batch, outcome));
    }

    /**
     * Settles every uncertain batch, once the store showed whether it holds them: as
     * acknowledged when {@code applied}, else as rejected.
     */
    void settle(boolean applied) {
        issued.replaceAll(batch -> batch.outcome() != Outcome.UNCERTAIN ? batch
                : new Issued(batch.batch(), applied ? Outcome.ACKNOWLEDGED : Outcome.REJECTED));
    }

    /** The state after the acknowledged batches alone. */
    TreeMap<String, String> acknowledged() {
        return apply(0);
    }

    /** The values a read of {@code key} may give now (null: absent). */
    Set<String> possibleValues(String key) {
        Set<String> values = new HashSet<>();
        values.add(acknowledged().get(key));
        for (Issued batch : issued) {
            if (batch.outcome() == Outcome.UNCERTAIN && batch.batch().containsKey(key)) {
                values.add(batch.batch().get(key));
            }
        }
        return values;
    }

    /** What a comparison found: null description when the store is right. */
    record Comparison(String mismatch, long lostWrites, long resurrectedKeys) {
        boolean matches() {
            return mismatch == null;
        }
    }

    /**
     * Compares {@code actual} (every key and value the store holds) with every state the issued
     * batches allow. On a mismatch, counts against the acknowledged state the acknowledged writes
     * missing or changed and the keys present that were never written or deleted, leaving out the
     * keys an uncertain batch touched.
     */
    Comparison check(Map<String, String> actual) {
        List<Integer> uncertain = new ArrayList<>();
        for (int i = 0; i < issued.size(); i++) {
            if (issued.get(i).outcome() == Outcome.UNCERTAIN) {
                uncertain.add(i);
            }
        }
        if (uncertain.size() > MAX_UNCERTAIN) {
            throw new IllegalStateException(uncertain.size() + " uncertain batches: too many to try every choice");
        }
        for (long choice = 0; choice < 1L << uncertain.size(); choice++) {
            if (apply(choice).equals(actual)) {
                return new Comparison(null, 0, 0);
            }
        }
        Set<String> excused = new HashSet<>();
        uncertain.forEach(i -> excused.addAll(issued.get(i).batch().keySet()));
        TreeMap<String, String> expected = acknowledged();
        long lost = 0;
        long resurrected = 0;
        Set<String> keys = new HashSet<>(expected.keySet());
        keys.addAll(actual.keySet());
        for (String key : keys) {
            if (excused.contains(key) || Objects.equals(expected.get(key), actual.get(key))) {
                continue;
            }
            if (expected.containsKey(key)) {
                lost++;
            } else {
                resurrected++;
            }
        }
        return new Comparison("the store holds " + actual + ", which no choice of the " + uncertain.size()
                + " uncertain batches gives; acknowledged alone: " + expected, lost, resurrected);
    }

    /** The state after the acknowledged batches and the uncertain ones {@code choice} picks (bit i: the i-th). */
    private TreeMap<String, String> apply(long choice) {
        TreeMap<String, String> state = new TreeMap<>();
        int uncertain = 0;
        for (Issued batch : issued) {
            boolean applied = switch (batch.outcome()) {
                case ACKNOWLEDGED -> true;
                case REJECTED -> false;
                case UNCERTAIN -> (choice >>> uncertain++ & 1) != 0;
            };
            if (applied) {
                batch.batch().forEach((key, value) -> {
                    if (value == null) {
                        state.remove(key);
                    } else {
                        state.put(key, value);
                    }
                });
            }
        }
        return state;
    }
}
