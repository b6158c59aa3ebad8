package org.lsmtree.engine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The expected-state oracle of the crash suites: every write issued to a store, in order (a write
 * is one batch: keys to values, a {@code null} value for a delete), and how far the store's
 * acknowledgements reach. After a crash, the store must hold exactly the state after some prefix
 * of the issued writes ({@link #matchingPrefix}): a batch whole or not at all, no write missing
 * before one that survived, nothing deleted back; and the prefix must reach every write
 * acknowledged as synced ({@link Bounds#durable}).
 *
 * <p>Values name the write that set them ({@link #value}), so that a wrong value found after a
 * crash can be told apart: an older value (a write lost), a deleted key back, or bytes no write
 * ever set. Not thread-safe: the single-threaded workload drives it.
 */
final class ExpectedState {
    private final List<Map<String, String>> writes = new ArrayList<>();
    private int acknowledged;
    private int durable;

    /**
     * What a crash at one moment may keep: writes {@code [0, durable)} must survive, writes
     * {@code [0, acknowledged)} were acknowledged (synced or not), and at most the first
     * {@code issued} writes can be there.
     */
    record Bounds(int durable, int acknowledged, int issued) {
        /** The bounds a crash that keeps every byte handed to the OS must meet: every acknowledged write. */
        Bounds processCrash() {
            return new Bounds(acknowledged, acknowledged, issued);
        }

        @Override
        public String toString() {
            return "writes [0, " + durable + ") synced, [0, " + acknowledged + ") acknowledged, " + issued + " issued";
        }
    }

    /** The value write {@code index} gives {@code key}: names both, then {@code padding} bytes. */
    static String value(int index, String key, int padding) {
        return "w" + index + "-" + key + "-" + "p".repeat(padding);
    }

    /** The index of the write that set {@code value}, or -1 for bytes no write of {@link #value} sets. */
    static int writeOf(String value) {
        int dash = value.indexOf('-');
        if (!value.startsWith("w") || dash < 2) {
            return -1;
        }
        try {
            return Integer.parseInt(value.substring(1, dash));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Records that {@code batch} is being written now; returns its index. */
    int issue(Map<String, String> batch) {
        writes.add(batch);
        return writes.size() - 1;
    }

    /** Records that the last write issued returned; {@code synced} if it was a synced write. */
    void acknowledge(boolean synced) {
        acknowledged = writes.size();
        if (synced) {
            durable = acknowledged;
        }
    }

    /**
     * Records that every write issued so far is durable although none was synced by itself: the
     * store's reopen put them in a table and a MANIFEST it synced before open returned.
     */
    void allDurable() {
        acknowledged = writes.size();
        durable = acknowledged;
    }

    Bounds bounds() {
        return new Bounds(durable, acknowledged, writes.size());
    }

    /** Every key a write issued so far names. */
    Set<String> keys() {
        Set<String> keys = new TreeSet<>();
        writes.forEach(write -> keys.addAll(write.keySet()));
        return keys;
    }

    /** The model after the first {@code prefix} writes. */
    Map<String, String> after(int prefix) {
        Map<String, String> model = new TreeMap<>();
        for (int i = 0; i < prefix; i++) {
            apply(model, writes.get(i));
        }
        return model;
    }

    /**
     * The smallest prefix length in {@code [bounds.durable, bounds.issued]} after which the model
     * equals {@code found}, or -1 when none does.
     */
    int matchingPrefix(Map<String, String> found, Bounds bounds) {
        Map<String, String> model = after(bounds.durable());
        for (int prefix = bounds.durable(); ; prefix++) {
            if (model.equals(found)) {
                return prefix;
            }
            if (prefix == bounds.issued()) {
                return -1;
            }
            apply(model, writes.get(prefix));
        }
    }

    /** How a state that matches no allowed prefix is wrong, key by key, for the figures and the message. */
    record Violations(List<String> lost, List<String> resurrected, List<String> other) {
        boolean isEmpty() {
            return lost.isEmpty() && resurrected.isEmpty() && other.isEmpty();
        }

        @Override
        public String toString() {
            return "lost " + lost + ", resurrected " + resurrected + ", other " + other;
        }
    }

    /**
     * Classifies each key whose value in {@code found} no allowed prefix gives it: a synced write
     * lost (the key holds an older value, or none, where every allowed prefix has a newer one), a
     * deleted key back, or other (bytes no write set, a future value); if every key alone is
     * allowed, the state still mixes prefixes (a hole: a later write without an earlier one).
     */
    Violations violations(Map<String, String> found, Bounds bounds) {
        Set<String> keys = new TreeSet<>(found.keySet());
        for (int i = 0; i < bounds.issued(); i++) {
            keys.addAll(writes.get(i).keySet());
        }
        Map<String, Set<String>> allowed = new HashMap<>();
        Map<String, String> model = after(bounds.durable());
        Map<String, String> durableModel = Map.copyOf(model);
        for (int prefix = bounds.durable(); ; prefix++) {
            for (String key : keys) {
                allowed.computeIfAbsent(key, k -> new HashSet<>()).add(model.get(key));
            }
            if (prefix == bounds.issued()) {
                break;
            }
            apply(model, writes.get(prefix));
        }
        List<String> lost = new ArrayList<>();
        List<String> resurrected = new ArrayList<>();
        List<String> other = new ArrayList<>();
        for (String key : keys) {
            String value = found.get(key);
            if (allowed.get(key).contains(value)) {
                continue;
            }
            String expected = durableModel.get(key);
            String what = key + "=" + abbreviate(value) + " (after the synced writes: " + abbreviate(expected) + ")";
            int setBy = value == null ? -1 : writeOf(value);
            if (value != null && expected == null && setBy >= 0 && setBy < bounds.durable()) {
                resurrected.add(what);
            } else if (value == null || (setBy >= 0 && setBy < bounds.durable())) {
                lost.add(what);
            } else {
                other.add(what);
            }
        }
        if (lost.isEmpty() && resurrected.isEmpty() && other.isEmpty()) {
            other.add("every key holds a value some allowed prefix gives it, but no one prefix gives them all (a hole)");
        }
        return new Violations(lost, resurrected, other);
    }

    private static String abbreviate(String value) {
        return value == null ? "absent" : value.length() > 24 ? value.substring(0, 24) + "..." : value;
    }

    private static void apply(Map<String, String> model, Map<String, String> batch) {
        batch.forEach((key, value) -> {
            if (value == null) {
                model.remove(key);
            } else {
                model.put(key, value);
            }
        });
    }
}
