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
}
