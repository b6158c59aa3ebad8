package org.lsmtree.testing;

import static com.google.common.base.Preconditions.checkNotNull;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.lsmtree.format.storage.RandomReadFile;
import org.lsmtree.format.storage.SequentialFile;
import org.lsmtree.format.storage.Storage;
import org.lsmtree.format.storage.StorageLock;
import org.lsmtree.format.storage.WritableFile;

/**
 * A {@link Storage} decorator that fails chosen operations with an
 * {@link InjectedFaultException} naming the operation's kind, path and number. Faults are armed
 * with {@link #failWhen(Fault)}, e.g.
 * {@code storage.failWhen(Fault.on(OperationKind.SYNC).matching("*.log").once())}.
 *
 * <p>Every operation is numbered from 1 ({@link #operationCount()}): the storage's own methods and
 * the calls on the files it opened ({@code append}, {@code flush}, {@code sync}, {@code close},
 * and reads and skips as {@link OperationKind#READ}); a file's {@code size()} is not counted. A
 * failed operation is counted but never reaches the delegate, so it changes nothing; the
 * exceptions are {@code close}, which closes the delegate's file before reporting its fault, and
 * an append failed by {@link Fault#diskFullAfterWritingWhatFits}, which writes what fits first.
 * {@link #bytesWritten()} counts the bytes of successful appends, for {@link Fault#diskFullAfter}.
 * A {@link Fault#flippingABit} rule does not fail its append: the delegate gets a copy of the
 * bytes with one bit flipped. {@link #faultsInjected()} counts the rules' firings of both kinds.
 *
 * <p>Thread-safe when the delegate is: numbering and rule state are guarded by this storage's
 * monitor; delegate calls happen outside it.
 */
public final class FaultInjectingStorage implements Storage {

    private final Storage delegate;
    private final List<ArmedFault> faults = new ArrayList<>();
    private long operationCount;
    private long bytesWritten;
    private long faultsInjected;
    private long firstFailedAppendEnd = -1;
    private InjectedFaultException firstFailure;

    private FaultInjectingStorage(Storage delegate) {
        this.delegate = checkNotNull(delegate, "delegate");
    }

    /** Wraps {@code delegate}, with no fault armed. */
    public static FaultInjectingStorage wrap(Storage delegate) {
        return new FaultInjectingStorage(delegate);
    }

    /** Arms {@code fault}; returns this storage for chaining. */
    public synchronized FaultInjectingStorage failWhen(Fault fault) {
        faults.add(new ArmedFault(checkNotNull(fault, "fault")));
        return this;
    }

    /** Disarms every fault. */
    public synchronized FaultInjectingStorage clearFaults() {
        faults.clear();
        return this;
    }

    /** How many operations were attempted so far, failed ones included. */
    public synchronized long operationCount() {
        return operationCount;
    }

    /** How many bytes were appended successfully through this storage's files. */
    public synchronized long bytesWritten() {
        return bytesWritten;
    }

    /** How many times an armed fault fired: operations failed plus appends given a flipped bit. */
    public synchronized long faultsInjected() {
        return faultsInjected;
    }

    /**
     * For the first append a fault failed: the bytes appended before it plus its length, i.e.
     * the smallest {@link Fault#diskFullAfter} limit that lets it through; -1 when no append
     * failed. A test walks every full-disk budget that behaves differently with it.
     */
    public synchronized long firstFailedAppendEnd() {
        return firstFailedAppendEnd;
    }

    /** The first failure a fault injected, if any fired (flipped bits are not failures). */
    public synchronized java.util.Optional<InjectedFaultException> firstFailure() {
        return java.util.Optional.ofNullable(firstFailure);
    }

    /** The wrapped storage. */
    public Storage delegate() {
        return delegate;
    }

    @Override
    public WritableFile create(Path file) throws IOException {
        check(OperationKind.CREATE, file);
        return new FaultWritableFile(this, file, delegate.create(file));
    }

    @Override
    public WritableFile openAppendable(Path file) throws IOException {
        check(OperationKind.OPEN_APPENDABLE, file);
        return new FaultWritableFile(this, file, delegate.openAppendable(file));
    }

    @Override
    public SequentialFile openSequential(Path file) throws IOException {
        check(OperationKind.OPEN_SEQUENTIAL, file);
        return new FaultSequentialFile(this, file, delegate.openSequential(file));
    }

    @Override
    public RandomReadFile openRandomRead(Path file) throws IOException {
        check(OperationKind.OPEN_RANDOM_READ, file);
        return new FaultRandomReadFile(this, file, delegate.openRandomRead(file));
    }

    @Override
    public void rename(Path source, Path target) throws IOException {
        check(OperationKind.RENAME, source, target);
        delegate.rename(source, target);
    }

    @Override
    public void delete(Path file) throws IOException {
        check(OperationKind.DELETE, file);
        delegate.delete(file);
    }

    @Override
    public boolean exists(Path path) throws IOException {
        check(OperationKind.EXISTS, path);
        return delegate.exists(path);
    }

    @Override
    public long size(Path file) throws IOException {
        check(OperationKind.SIZE, file);
        return delegate.size(file);
    }

    @Override
    public List<Path> list(Path directory) throws IOException {
        check(OperationKind.LIST, directory);
        return delegate.list(directory);
    }

    @Override
    public void createDirectories(Path directory) throws IOException {
        check(OperationKind.CREATE_DIRECTORIES, directory);
        delegate.createDirectories(directory);
    }

    @Override
    public void syncDirectory(Path directory) throws IOException {
        check(OperationKind.SYNC_DIRECTORY, directory);
        delegate.syncDirectory(directory);
    }

    @Override
    public StorageLock lock(Path lockFile) throws IOException {
        check(OperationKind.LOCK, lockFile);
        return delegate.lock(lockFile);
    }

    /** Numbers an operation and throws when an armed fault fires for it. */
    void check(OperationKind kind, Path... paths) throws InjectedFaultException {
        checkAppend(kind, 0, paths);
    }

    /**
     * Like {@link #check}, for an append of {@code length} bytes (a full disk may fire); returns
     * the bit of the appended bytes to flip when a {@link Fault#flippingABit} rule fires, else -1.
     */
    synchronized long checkAppend(OperationKind kind, long length, Path... paths)
            throws InjectedFaultException {
        for (Path path : paths) {
            checkNotNull(path, "path");
        }
        long index = ++operationCount;
        long flip = -1;
        for (ArmedFault armed : faults) {
            if (armed.fires(kind, index, paths, bytesWritten, length)) {
                faultsInjected++;
                if (!armed.fault.flipsABit()) {
                    if (kind == OperationKind.APPEND && firstFailedAppendEnd < 0) {
                        firstFailedAppendEnd = bytesWritten + length;
                    }
                    InjectedFaultException failure = new InjectedFaultException(kind, List.of(paths), index, armed.fault,
                            Math.min(length, armed.fault.bytesThatFit(bytesWritten)));
                    if (firstFailure == null) {
                        firstFailure = failure;
                    }
                    throw failure;
                }
                flip = Math.floorMod(armed.flips.nextLong(), length * Byte.SIZE);
            }
        }
        return flip;
    }

    synchronized void appended(long length) {
        bytesWritten += length;
    }

    /** A fault with its state: how many matches it has seen, whether it is used up. */
    private static final class ArmedFault {
        final Fault fault;
        final java.util.Random flips;
        long matches;
        boolean spent;

        ArmedFault(Fault fault) {
            this.fault = fault;
            this.flips = new java.util.Random(fault.flipSeed());
        }

        boolean fires(OperationKind kind, long index, Path[] paths, long written, long length) {
            if (spent || !fault.matches(kind, index, paths, written, length)) {
                return false;
            }
            if (++matches <= fault.skip()) {
                return false;
            }
            spent = !fault.isPermanent();
            return true;
        }
    }

    @Override
    public String toString() {
        return "FaultInjectingStorage[" + delegate + ", " + faults.size() + " faults]";
    }
}
