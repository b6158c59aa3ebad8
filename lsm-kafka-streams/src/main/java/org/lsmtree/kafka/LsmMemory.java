package org.lsmtree.kafka;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.lsmtree.engine.MemoryBudget;
import org.lsmtree.engine.Options;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One memory budget for every lsmtree store of a Kafka Streams instance: by default all its
 * engine stores (each key-value store, each segment and bookkeeping part of a window or session
 * store, of every task and stream thread) share one {@link MemoryBudget}: a block cache of
 * {@value #TOTAL_BYTES_CONFIG} bytes out of which memtables of at most
 * {@value #MEMTABLE_BYTES_CONFIG} bytes are reserved. So a 100-task application has one bounded
 * figure on the Java heap, set in its config:
 *
 * <pre>{@code
 * props.put(LsmMemory.TOTAL_BYTES_CONFIG, 512L << 20);    // blocks and memtables together (default 128 MiB)
 * props.put(LsmMemory.MEMTABLE_BYTES_CONFIG, 128L << 20); // memtables' part of it (default a quarter)
 * }</pre>
 *
 * {@code 0} for the total turns sharing off: each store then has its own cache and memtables, as
 * its engine {@code Options} say. A store whose {@code Options} name a block cache or a
 * write-buffer manager of their own ({@code LsmStores} variants taking {@code Options}) keeps them.
 *
 * <p>The budget is keyed by the application id and the application's state directory
 * ({@code <state.dir>/<application.id>}, which Kafka Streams locks for one instance at a time):
 * that pair names one running instance, so the stores of all its threads share, while two
 * applications in one JVM, or two instances of one application with their own state directories
 * (tests, or scaling inside one process), never share by accident, just as they would not in
 * processes of their own. It lives as long as a store uses it: each store takes a {@link Lease} in
 * {@code init} and gives it back in {@code close}; the last one given back drops the budget, and
 * a later store of that instance makes a new one (from the config as it is then).
 *
 * <p>Thread-safe: the registry is guarded by the class's monitor.
 */
public final class LsmMemory {
    /** Bytes of blocks and memtables together for all stores of an instance; 0 turns sharing off. */
    public static final String TOTAL_BYTES_CONFIG = "lsm.memory.total.bytes";
    /** Bytes of that total the memtables may take (the rest is always the block cache's). */
    public static final String MEMTABLE_BYTES_CONFIG = "lsm.memory.memtable.bytes";
    /** The default total: 128 MiB. */
    public static final long DEFAULT_TOTAL_BYTES = 128L << 20;

    private static final Logger LOG = LoggerFactory.getLogger(LsmMemory.class);
    private static final Map<Key, Shared> SHARED = new HashMap<>();

    private record Key(String applicationId, Path directory) {}

    private static final class Shared {
        final MemoryBudget budget;
        int leases;

        Shared(MemoryBudget budget) {
            this.budget = budget;
        }
    }

    private LsmMemory() {}

    /** A store's hold on its instance's budget; {@link #close()} gives it back (idempotent). */
    static final class Lease implements AutoCloseable {
        private final Key key;
        private final MemoryBudget budget;
        private boolean closed;

        private Lease(Key key, MemoryBudget budget) {
            this.key = key;
            this.budget = budget;
        }

        /** {@code options} with the shared budget, unless sharing is off or they name a cache or manager of their own. */
        Options applyTo(Options options) {
            if (budget == null || options.blockCache() != null || options.writeBufferManager() != null) {
                return options;
            }
            return options.withMemoryBudget(budget);
        }

        /** The shared budget, or null when sharing is off. */
        MemoryBudget budget() {
            return budget;
        }

        @Override
        public void close() {
            synchronized (LsmMemory.class) {
                if (closed || key == null) {
                    return;
                }
                closed = true;
                Shared shared = SHARED.get(key);
                if (shared != null && --shared.leases == 0) {
                    SHARED.remove(key);
                    LOG.debug("{}: memory budget of {} dropped with its last store", key.applicationId(),
                            key.directory());
                }
            }
        }
    }

    /** Takes a lease on the budget of the instance that {@code context}'s task belongs to, making it if needed. */
    static Lease acquire(StateStoreContext context) {
        long total = bytes(context, TOTAL_BYTES_CONFIG, DEFAULT_TOTAL_BYTES);
        if (total == 0) {
            return new Lease(null, null);
        }
        long memtables = bytes(context, MEMTABLE_BYTES_CONFIG, total / 4);
        if (memtables < 1024 || memtables > total) {
            throw new ConfigException(MEMTABLE_BYTES_CONFIG, memtables,
                    "must be at least 1024 and at most " + TOTAL_BYTES_CONFIG + " (" + total + ")");
        }
        Key key = new Key(context.applicationId(), instanceDirectory(context));
        synchronized (LsmMemory.class) {
            Shared shared = SHARED.computeIfAbsent(key, k -> new Shared(MemoryBudget.of(total, memtables)));
            shared.leases++;
            return new Lease(key, shared.budget);
        }
    }

    /** The budget the stores of the instance of {@code applicationId} in {@code instanceDirectory} share now, or null. */
    static MemoryBudget current(String applicationId, Path instanceDirectory) {
        synchronized (LsmMemory.class) {
            Shared shared = SHARED.get(new Key(applicationId, instanceDirectory.toAbsolutePath().normalize()));
            return shared == null ? null : shared.budget;
        }
    }

    /** {@code <state.dir>/<application.id>}: the parent of the task directories. */
    static Path instanceDirectory(StateStoreContext context) {
        return context.stateDir().toPath().toAbsolutePath().normalize().getParent();
    }

    private static long bytes(StateStoreContext context, String name, long otherwise) {
        Object value = context.appConfigs().get(name);
        if (value == null) {
            return otherwise;
        }
        long bytes;
        try {
            bytes = value instanceof Number number ? number.longValue() : Long.parseLong(value.toString().trim());
        } catch (NumberFormatException e) {
            throw new ConfigException(name, value, "not a number of bytes");
        }
        if (bytes < 0) {
            throw new ConfigException(name, value, "a number of bytes cannot be negative");
        }
        return bytes;
    }
}
