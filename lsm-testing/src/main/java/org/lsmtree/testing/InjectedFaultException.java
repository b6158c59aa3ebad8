package org.lsmtree.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** The failure a {@link FaultInjectingStorage} injects; the operation did nothing. */
public final class InjectedFaultException extends IOException {

    private final OperationKind kind;
    private final List<Path> paths;
    private final long operationIndex;

    InjectedFaultException(OperationKind kind, List<Path> paths, long operationIndex, Fault rule) {
        super("injected fault: " + kind + " of " + describe(paths) + " (operation #"
                + operationIndex + ", " + rule + ")");
        this.kind = kind;
        this.paths = paths;
        this.operationIndex = operationIndex;
    }

    /** The kind of the failed operation. */
    public OperationKind kind() {
        return kind;
    }

    /** The path of the failed operation (for a rename, its source). */
    public Path path() {
        return paths.get(0);
    }

    /** The number of the failed operation, counted from 1. */
    public long operationIndex() {
        return operationIndex;
    }

    private static String describe(List<Path> paths) {
        return paths.size() == 1 ? paths.get(0).toString() : paths.get(0) + " to " + paths.get(1);
    }
}
