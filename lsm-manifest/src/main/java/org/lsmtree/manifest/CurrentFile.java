package org.lsmtree.manifest;

import static com.google.common.base.Preconditions.checkArgument;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import org.lsmtree.format.CorruptionException;
import org.lsmtree.format.FileNames;
import org.lsmtree.format.FileType;
import org.lsmtree.format.storage.SequentialFile;
import org.lsmtree.format.storage.Storage;
import org.lsmtree.format.storage.WritableFile;

/**
 * The {@code CURRENT} file: the name of the live MANIFEST followed by a newline, e.g.
 * {@code "MANIFEST-000005\n"}. It is replaced, never edited in place: the new content goes to
 * {@code <manifest number>.dbtmp}, which is synced, renamed over {@code CURRENT}, and then the
 * directory is synced so the rename itself survives a crash (see {@code docs/format/manifest.md}).
 * A crash at any step leaves {@code CURRENT} naming either the old or the new MANIFEST, whole.
 *
 * <p>Stateless; the caller serializes writes to one store.
 */
public final class CurrentFile {
    private CurrentFile() {}

    /**
     * The MANIFEST name {@code CURRENT} holds (without the newline). A missing {@code CURRENT} is
     * a {@link NoSuchFileException} naming it; an empty one, one not ending in a newline, or one
     * naming anything but a MANIFEST (or a MANIFEST numbered 2^63 or more, which
     * {@link #manifestNumber} could not return) is a {@link CorruptionException} naming it.
     */
    public static String read(Storage storage, Path directory) throws IOException {
        Path current = FileNames.currentFile(directory);
        if (!storage.exists(current)) {
            throw new NoSuchFileException(current.toString(), null, "CURRENT is missing: not a store, or a damaged one");
        }
        byte[] bytes = readSmall(storage, current);
        if (bytes.length == 0) {
            throw new CorruptionException(current.toString(), 0, "CURRENT is empty");
        }
        if (bytes[bytes.length - 1] != '\n') {
            throw new CorruptionException(current.toString(), bytes.length, "CURRENT does not end in a newline");
        }
        String name = new String(bytes, 0, bytes.length - 1, StandardCharsets.ISO_8859_1);
        Optional<FileNames.Parsed> parsed = FileNames.parse(name);
        if (parsed.isEmpty() || parsed.get().type() != FileType.MANIFEST) {
            throw new CorruptionException(current.toString(), 0,
                    "CURRENT names '" + printable(name) + "', which is not a MANIFEST");
        }
        if (parsed.get().number() < 0) { // a file name may hold 64 unsigned bits; a file number never does
            throw new CorruptionException(current.toString(), FileNames.MANIFEST_PREFIX.length(),
                    "CURRENT names '" + name + "', whose number is 2^63 or more: no file number is that large");
        }
        return name;
    }

    /** The path of the MANIFEST {@code CURRENT} names. */
    public static Path manifest(Storage storage, Path directory) throws IOException {
        return directory.resolve(read(storage, directory));
    }

    /** The number of the MANIFEST {@code CURRENT} names. */
    public static long manifestNumber(Storage storage, Path directory) throws IOException {
        return FileNames.parse(read(storage, directory)).orElseThrow().number();
    }

    /**
     * Points {@code CURRENT} at {@code MANIFEST-<manifestNumber>}, atomically and durably: write
     * {@code <manifestNumber>.dbtmp}, sync it, rename it over {@code CURRENT}, sync the directory.
     * When a step fails the temp file is removed (best effort) and {@code CURRENT} is the old one.
     */
    public static void write(Storage storage, Path directory, long manifestNumber) throws IOException {
        checkArgument(manifestNumber >= 0, "MANIFEST number %s is negative", manifestNumber);
        byte[] content = (FileNames.manifestFileName(manifestNumber) + "\n").getBytes(StandardCharsets.US_ASCII);
        Path temp = FileNames.tempFile(directory, manifestNumber);
        try {
            try (WritableFile out = storage.create(temp)) {
                out.append(content);
                out.sync();
            }
            storage.rename(temp, FileNames.currentFile(directory));
        } catch (IOException e) {
            try {
                if (storage.exists(temp)) {
                    storage.delete(temp);
                }
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        storage.syncDirectory(directory);
    }

    private static byte[] readSmall(Storage storage, Path current) throws IOException {
        long size = storage.size(current);
        if (size > ManifestFormat.MAX_CURRENT_SIZE) {
            throw new CorruptionException(current.toString(), ManifestFormat.MAX_CURRENT_SIZE,
                    "CURRENT is " + size + " bytes long; a MANIFEST name needs far fewer");
        }
        byte[] bytes = new byte[(int) size];
        int read = 0;
        try (SequentialFile in = storage.openSequential(current)) {
            while (read < bytes.length) {
                int n = in.read(bytes, read, bytes.length - read);
                if (n <= 0) {
                    break;
                }
                read += n;
            }
        }
        return read == bytes.length ? bytes : java.util.Arrays.copyOf(bytes, read);
    }

    private static String printable(String name) {
        StringBuilder text = new StringBuilder();
        for (char c : name.toCharArray()) {
            text.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\x%02x", (int) c));
        }
        return text.toString();
    }
}
