package org.lsmtree.testing;

/**
 * The kinds of {@link org.lsmtree.format.storage.Storage} operations the testing storages count,
 * log and fail. {@link CrashSimulatingStorage} numbers only the mutating ones ({@link
 * #isMutating()}); {@link FaultInjectingStorage} numbers every one.
 */
public enum OperationKind {
    /** {@code Storage.create}. */
    CREATE(true),
    /** {@code Storage.openAppendable}. */
    OPEN_APPENDABLE(true),
    /** {@code Storage.openSequential}. */
    OPEN_SEQUENTIAL(false),
    /** {@code Storage.openRandomRead}. */
    OPEN_RANDOM_READ(false),
    /** A read or skip through an opened {@code SequentialFile} or {@code RandomReadFile}. */
    READ(false),
    /** {@code WritableFile.append}, either overload. */
    APPEND(true),
    /** {@code WritableFile.flush}, and the flush of {@code close} when bytes are buffered. */
    FLUSH(true),
    /** {@code WritableFile.sync}. */
    SYNC(true),
    /** {@code WritableFile.syncPrefix} (the background sync of a growing log). */
    SYNC_PREFIX(true),
    /** {@code WritableFile.close} (only {@link FaultInjectingStorage} counts it). */
    CLOSE(false),
    /** {@code Storage.rename}. */
    RENAME(true),
    /** {@code Storage.delete}. */
    DELETE(true),
    /** {@code Storage.exists}. */
    EXISTS(false),
    /** {@code Storage.size}. */
    SIZE(false),
    /** {@code Storage.list}. */
    LIST(false),
    /** {@code Storage.createDirectories}. */
    CREATE_DIRECTORIES(true),
    /** {@code Storage.syncDirectory}. */
    SYNC_DIRECTORY(true),
    /** {@code Storage.lock}. */
    LOCK(true);

    private final boolean mutating;

    OperationKind(boolean mutating) {
        this.mutating = mutating;
    }

    /** Whether the operation changes what is stored (and so is a crash point). */
    public boolean isMutating() {
        return mutating;
    }
}
