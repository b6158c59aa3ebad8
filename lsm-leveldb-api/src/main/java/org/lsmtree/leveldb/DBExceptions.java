package org.lsmtree.leveldb;

import java.io.IOException;
import org.iq80.leveldb.DBException;

/**
 * The LevelDB API reports a store's failures as the unchecked {@link DBException}; the engine as
 * {@link IOException} (a {@link org.lsmtree.format.CorruptionException} when bytes on disk are
 * damaged). Each engine call of the adapter goes through here, so the cause, with the file and
 * offset it names, is always kept. Caller mistakes ({@link IllegalArgumentException},
 * {@link IllegalStateException}) pass through unchanged. Stateless.
 */
final class DBExceptions {
    private DBExceptions() {}

    /** An engine call that returns nothing. */
    interface IoAction {
        void run() throws IOException;
    }

    /** An engine call that returns a value. */
    interface IoCall<T> {
        T call() throws IOException;
    }

    static void run(String what, IoAction action) {
        try {
            action.run();
        } catch (IOException e) {
            throw wrap(what, e);
        }
    }

    static <T> T call(String what, IoCall<T> call) {
        try {
            return call.call();
        } catch (IOException e) {
            throw wrap(what, e);
        }
    }

    static DBException wrap(String what, IOException e) {
        return new DBException(what + " failed: " + e.getMessage(), e);
    }
}
