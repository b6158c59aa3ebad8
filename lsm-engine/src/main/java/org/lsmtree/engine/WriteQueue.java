package org.lsmtree.engine;

import static com.google.common.base.Preconditions.checkNotNull;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.lsmtree.wal.WriteBatch;

/**
 * Group commit: writers queue up; the writer at the head becomes the leader, takes its batch and
 * those queued behind it (up to a size limit) as one group, has the group appended to the WAL as
 * one record (without merging the batches into one first) and synced once for all of them, then
 * wakes every writer of the group with the shared outcome.
 * Writers arriving meanwhile queue behind and form the next group, so under load one WAL sync
 * acknowledges many writes. A write is acknowledged only after its group's write returned.
 *
 * <p>A writer that finds nobody leading and nobody queued (a lone writer: LevelDB's cheap
 * uncontended leader) leads a group of one at once, by a compare-and-set and without the lock:
 * it makes no queue entry, waits on nothing, and takes the lock only if writers queued meanwhile; a single put or delete ({@link #writeEntry}) is then
 * encoded into a batch the queue reuses. Writers that find a leader queue behind it as above, in
 * order: a lone writer never overtakes a queued one.
 *
 * <p>Invariant: at most one leader writes at a time, and {@code state} has {@code LEADING} while
 * one does; {@code QUEUED} is set while the queue holds writers (set under the lock before a
 * writer queues, cleared under it when a group ends with the queue empty), so a lone leader, who
 * starts only from a state of 0, never overtakes a queued writer. A lone leader that finds
 * {@code QUEUED} when it ends clears {@code LEADING} and signals under the lock, which the queued
 * writers wait on, so no wake-up is lost. The queue holds only writers not yet taken into a group.
 *
 * <p>Thread-safe. The queue lock is held only to queue, pick a group and hand out outcomes, never
 * during I/O.
 */
final class WriteQueue {
    /**
     * Appends a group of batches as one record, durably (synced when asked), and applies it; the
     * store's write path. The list is the queue's own, valid during the call only.
     */
    interface GroupWriter {
        void write(List<WriteBatch> group, boolean sync) throws IOException;
    }

    /** LevelDB's grouping limits: at most 1 MiB, and a small first batch grows by at most 128 KiB. */
    static final int MAX_GROUP_BYTES = 1 << 20;
    static final int SMALL_BATCH_BYTES = 128 << 10;
    /** The largest entry (key and value) encoded into the reused batch; a larger one gets its own. */
    static final int REUSED_ENTRY_BYTES = 64 << 10;

    /** In {@link #state}: a leader writes now (a lone one, or one from the queue). */
    private static final int LEADING = 1;
    /** In {@link #state}: writers are in the queue, or entering it; no lone leader may start. */
    private static final int QUEUED = 2;
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(WriteQueue.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final class Pending {
        final WriteBatch batch;
        final boolean sync;
        boolean done;
        Throwable failure;

        Pending(WriteBatch batch, boolean sync) {
            this.batch = batch;
            this.sync = sync;
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private final GroupWriter writer;
    // The group of the writer at the head of the queue, and its batches: only that writer (the
    // leader; one at a time) touches them, and it hands them on under the lock.
    private final ArrayList<Pending> group = new ArrayList<>();
    private final ArrayList<WriteBatch> batches = new ArrayList<>();
    private final long maxRecordBytes;
    /** {@link #LEADING} and {@link #QUEUED}: changed under the lock, except by a lone leader's compare-and-set. */
    private volatile int state;
    /** How many writers the group a queued leader writes holds (0: none; a lone leader's is not counted); guarded by the lock. */
    private int writing;
    /** The batch a lone leader encodes a single entry into ({@link #writeEntry}); only the leader touches it. */
    private final WriteBatch reused = new WriteBatch();

    WriteQueue(GroupWriter writer) {
        this(writer, Integer.MAX_VALUE);
    }

    /** A queue whose groups never pass {@code maxRecordBytes}, the largest WAL record the store reads back. */
    WriteQueue(GroupWriter writer, long maxRecordBytes) {
        this.writer = writer;
        this.maxRecordBytes = maxRecordBytes;
    }

    /** Writes {@code batch} as part of a group; returns once the group is written (and synced if asked). */
    void write(WriteBatch batch, boolean sync) throws IOException {
        checkSize(batch);
        if (tryLeadAlone()) {
            writeAlone(batch, sync);
        } else {
            writeQueued(batch, sync);
        }
    }

    /**
     * Writes one put of {@code value} under {@code key}, or a delete of {@code key} when
     * {@code value} is null, as {@link #write} writes a batch holding it. A lone writer encodes it
     * into a batch the queue keeps for this (no batch is made per write); a writer that must
     * queue, or an entry larger than {@value #REUSED_ENTRY_BYTES} bytes, gets a batch of its own.
     */
    void writeEntry(byte[] key, byte[] value, boolean sync) throws IOException {
        checkNotNull(key, "key");
        if (key.length + (value == null ? 0L : value.length) <= REUSED_ENTRY_BYTES && tryLeadAlone()) {
            WriteBatch batch = reused.clear();
            try {
                if (value == null) {
                    batch.delete(key);
                } else {
                    batch.put(key, value);
                }
                checkSize(batch);
            } catch (RuntimeException | Error e) {
                stopLeading();
                throw e;
            }
            writeAlone(batch, sync);
            return;
        }
        WriteBatch batch = value == null ? new WriteBatch().delete(key) : new WriteBatch().put(key, value);
        write(batch, sync);
    }

    private void checkSize(WriteBatch batch) {
        com.google.common.base.Preconditions.checkArgument(batch.approximateSize() <= maxRecordBytes,
                "a batch of %s bytes is larger than Options.maxRecordSize (%s bytes): the store could not read it back",
                batch.approximateSize(), maxRecordBytes);
    }

    /**
     * Becomes the leader of a group of one if nobody leads or queues: one compare-and-set, no lock,
     * no queue entry, no wait.
     */
    private boolean tryLeadAlone() {
        return state == 0 && STATE.compareAndSet(this, 0, LEADING);
    }

    /** Writes {@code batch} as a group of one, as the leader {@link #tryLeadAlone} made this writer. */
    private void writeAlone(WriteBatch batch, boolean sync) throws IOException {
        Throwable failure = null;
        try {
            batches.clear();
            batches.add(batch);
            writer.write(batches, sync);
        } catch (Throwable e) {
            failure = e;
        } finally {
            batches.clear();
            stopLeading();
        }
        rethrow(failure);
    }

    /**
     * Ends the lone leader's write: one compare-and-set if nobody queued meanwhile, else under the
     * lock, waking the writer at the head of the queue, which leads next.
     */
    private void stopLeading() {
        if (STATE.compareAndSet(this, LEADING, 0)) {
            return;
        }
        lock.lock();
        try {
            STATE.getAndBitwiseAnd(this, ~LEADING);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Queues behind the leader: this writer's batch goes with a later group, which it may lead. */
    private void writeQueued(WriteBatch batch, boolean sync) throws IOException {
        Pending me = new Pending(batch, sync);
        Throwable failure = null;
        lock.lock();
        try {
            STATE.getAndBitwiseOr(this, QUEUED); // no lone leader starts from now on
            queue.addLast(me);
            while (!me.done && ((state & LEADING) != 0 || queue.peekFirst() != me)) {
                changed.awaitUninterruptibly();
            }
            if (!me.done) {
                group.clear();
                group.add(me);
                try {
                    takeGroup(me);
                } catch (RuntimeException | Error e) {
                    group.subList(1, group.size()).clear();
                    failure = e; // picking the group failed: this writer alone fails, and the queue moves on
                }
                for (int i = 0; i < group.size(); i++) {
                    Pending head = queue.pollFirst();
                    assert head == group.get(i) : "the group is the head of the queue";
                }
                writing = group.size();
                STATE.getAndBitwiseOr(this, LEADING);
            }
        } finally {
            lock.unlock();
        }
        if (me.done) { // a leader wrote this batch with its group
            rethrow(me.failure);
            return;
        }
        try {
            if (failure == null) {
                writer.write(batches(), anySync());
            }
        } catch (Throwable e) {
            failure = e;
        } finally {
            // Whatever happened, the group's writers learn the outcome and the next group may go:
            // a leader that never ended would block every later writer.
            lock.lock();
            try {
                for (int i = 0; i < group.size(); i++) {
                    Pending pending = group.get(i);
                    pending.failure = failure;
                    pending.done = true;
                }
                writing = 0;
                state = queue.isEmpty() ? 0 : QUEUED; // with an empty queue, lone leaders may start again
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
        rethrow(failure);
    }

    /** How many writers are queued, the one being written included. */
    @com.google.common.annotations.VisibleForTesting
    int queued() {
        lock.lock();
        try {
            return queue.size() + (writing > 0 ? writing : state & LEADING);
        } finally {
            lock.unlock();
        }
    }

    /** Adds the writers queued right behind the leader to its group, within the size limit. Requires the lock. */
    private void takeGroup(Pending leader) {
        assert group.size() == 1 && group.get(0) == leader && queue.peekFirst() == leader && writing == 0;
        if (queue.size() == 1) {
            return;
        }
        long size = leader.batch.approximateSize();
        long limit = Math.min(maxRecordBytes, size <= SMALL_BATCH_BYTES ? size + SMALL_BATCH_BYTES : MAX_GROUP_BYTES);
        java.util.Iterator<Pending> queued = queue.iterator();
        queued.next(); // the leader
        while (queued.hasNext()) {
            Pending pending = queued.next();
            if (size + pending.batch.approximateSize() > limit) {
                break;
            }
            group.add(pending);
            size += pending.batch.approximateSize();
        }
    }

    /** Whether any batch of {@code group} holds an entry. */
    static boolean hasEntries(List<WriteBatch> group) {
        for (int i = 0; i < group.size(); i++) {
            if (!group.get(i).isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /** The group's batches, in {@link #batches}. Only the leader calls it. */
    private List<WriteBatch> batches() {
        batches.clear();
        for (int i = 0; i < group.size(); i++) {
            batches.add(group.get(i).batch);
        }
        return batches;
    }

    private boolean anySync() {
        for (int i = 0; i < group.size(); i++) {
            if (group.get(i).sync) {
                return true;
            }
        }
        return false;
    }

    private static void rethrow(Throwable failure) throws IOException {
        if (failure == null) {
            return;
        }
        if (failure instanceof IOException io) {
            throw io;
        }
        if (failure instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (failure instanceof Error error) {
            throw error;
        }
        throw new IOException("group write failed", failure); // a checked exception thrown sneakily
    }
}
