package org.lsmtree.testing;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.lsmtree.format.storage.NioStorage;
import org.lsmtree.format.storage.SequentialFile;
import org.lsmtree.format.storage.Storage;
import org.lsmtree.format.storage.WritableFile;

/**
 * Damages one stored file on purpose: flips a bit, sets a byte, zeroes a range, truncates,
 * appends garbage. Each call reads the whole file through the storage, changes it, and rewrites
 * it in place ({@code create}, append, {@code sync}, then {@code syncDirectory} of the parent), so
 * the damage is durable even in a {@link CrashSimulatingStorage} (where it counts as operations).
 * Calls chain: {@code Corruptor.of(storage, file).flipBit(100, 3).truncate(90)}.
 *
 * <p>Offsets outside the file are the caller's mistake ({@link IllegalArgumentException}). Files
 * are held in memory, so they must be smaller than 2 GiB. Not thread-safe.
 */
public final class Corruptor {

    private final Storage storage;
    private final Path file;

    private Corruptor(Storage storage, Path file) {
        this.storage = checkNotNull(storage, "storage");
        this.file = checkNotNull(file, "file");
    }

    /** Damages {@code file} of {@code storage}. */
    public static Corruptor of(Storage storage, Path file) {
        return new Corruptor(storage, file);
    }

    /** Damages {@code file} directly on its own file system (through a {@link NioStorage}). */
    public static Corruptor of(Path file) {
        return new Corruptor(NioStorage.of(file.getFileSystem()), file);
    }

    /** The file's current content. */
    public byte[] content() throws IOException {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        try (SequentialFile in = storage.openSequential(file)) {
            byte[] buffer = new byte[8192];
            for (int n; (n = in.read(buffer, 0, buffer.length)) > 0; ) {
                content.write(buffer, 0, n);
            }
        }
        return content.toByteArray();
    }

    /** Inverts bit {@code bit} (0 = least significant) of the byte at {@code offset}. */
    public Corruptor flipBit(long offset, int bit) throws IOException {
        checkArgument(bit >= 0 && bit < 8, "bit %s is not in 0..7", bit);
        byte[] content = content();
        content[index(offset, content)] ^= (byte) (1 << bit);
        rewrite(content);
        return this;
    }

    /** Sets the byte at {@code offset} to the low 8 bits of {@code value}. */
    public Corruptor setByte(long offset, int value) throws IOException {
        byte[] content = content();
        content[index(offset, content)] = (byte) value;
        rewrite(content);
        return this;
    }

    /** Zeroes {@code length} bytes from {@code offset}; the range must lie inside the file. */
    public Corruptor zeroRange(long offset, int length) throws IOException {
        byte[] content = content();
        checkArgument(length >= 0 && offset >= 0 && offset + length <= content.length,
                "range [%s, +%s) is not inside %s (%s bytes)", offset, length, file,
                content.length);
        Arrays.fill(content, (int) offset, (int) offset + length, (byte) 0);
        rewrite(content);
        return this;
    }

    /** Cuts the file to its first {@code length} bytes; {@code length} is at most its size. */
    public Corruptor truncate(long length) throws IOException {
        byte[] content = content();
        checkArgument(length >= 0 && length <= content.length,
                "cannot truncate %s (%s bytes) to %s", file, content.length, length);
        rewrite(Arrays.copyOf(content, (int) length));
        return this;
    }

    /** Appends {@code garbage} to the file. */
    public Corruptor appendGarbage(byte[] garbage) throws IOException {
        byte[] content = content();
        byte[] longer = Arrays.copyOf(content, content.length + garbage.length);
        System.arraycopy(garbage, 0, longer, content.length, garbage.length);
        rewrite(longer);
        return this;
    }

    /** Appends {@code length} pseudo-random bytes drawn from {@code seed}. */
    public Corruptor appendGarbage(int length, long seed) throws IOException {
        checkArgument(length >= 0, "negative length %s", length);
        byte[] garbage = new byte[length];
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < length; i++) {
            garbage[i] = (byte) random.nextInt(256);
        }
        return appendGarbage(garbage);
    }

    private int index(long offset, byte[] content) {
        checkArgument(offset >= 0 && offset < content.length,
                "offset %s is not inside %s (%s bytes)", offset, file, content.length);
        return (int) offset;
    }

    private void rewrite(byte[] content) throws IOException {
        try (WritableFile out = storage.create(file)) {
            out.append(content);
            out.sync();
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            storage.syncDirectory(parent);
        }
    }

    @Override
    public String toString() {
        return "Corruptor[" + file + "]";
    }
}
