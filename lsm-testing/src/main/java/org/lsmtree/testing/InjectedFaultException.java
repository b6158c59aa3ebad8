package org.lsmtree.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The failure a {@link FaultInjectingStorage} injects; the operation did nothing, except an append
 * failed by {@link Fault#diskFullAfterWritingWhatFits}, which first wrote {@link #bytesWritten()}
 * of its bytes.
 */
public final class InjectedFaultException extends IOException {

    private final OperationKind kind;
    private final List<Path> paths;
    private final long operationIndex;
    private final long bytesWritten;

    InjectedFaultException(OperationKind kind, List<Path> paths, long operationIndex, Fault rule,
            long bytesWritten) {
        super("injected fault: " + kind + " of " + describe(paths) + " (operation #"
                + operationIndex + ", " + rule + (bytesWritten > 0 ? ", " + bytesWritten + " bytes written" : "")
                + ")");
        this.kind = kind;
        this.paths = paths;
        this.operationIndex = operationIndex;
        this.bytesWritten = bytesWritten;
    }

    /** How many bytes of a failed append reached the file before it failed (0 but for a full disk writing what fits). */
    public long bytesWritten() {
        return bytesWritten;
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
