package org.lsmtree.testing;

import java.io.IOException;

/**
 * Thrown by every mutating operation of a {@link CrashSimulatingStorage} once its crash point
 * has passed; the operation changed nothing.
 */
public final class SimulatedCrashException extends IOException {

    SimulatedCrashException(String message) {
        super(message);
    }

    /** Whether {@code e}, one of its causes or anything suppressed along them is a simulated crash. */
    public static boolean isCrash(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SimulatedCrashException) {
                return true;
            }
            for (Throwable suppressed : t.getSuppressed()) {
                if (isCrash(suppressed)) {
                    return true;
                }
            }
        }
        return false;
    }
}
