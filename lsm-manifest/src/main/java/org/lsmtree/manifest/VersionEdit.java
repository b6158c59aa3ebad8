package org.lsmtree.manifest;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSortedSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SortedSet;
import java.util.TreeSet;
import org.lsmtree.format.key.InternalKey;

/**
 * One change to the set of live files and to the store's counters: what a MANIFEST record holds.
 * Every scalar field is optional (an edit names only what it changes); compact pointers and new
 * files keep the order they were added in; deleted files form a set ordered by level, then number
 * (which is also the order they are encoded in, as LevelDB does). Bytes: see {@link ManifestFormat}
 * and {@link VersionEditCodec}.
 *
 * <p>Setters check the caller's arguments (levels 0 to 6, numbers not negative, sequences within
 * 56 bits) and return this edit for chaining. Not thread-safe; build it on one thread, then hand
 * it over.
 */
public final class VersionEdit {

    /** A compaction's resume point at a level: the largest internal key its last compaction used. */
    public record CompactPointer(int level, byte[] key) {
        public CompactPointer {
            checkLevel(level);
            checkArgument(key.length >= InternalKey.TRAILER_SIZE, "compact pointer of %s bytes is not an internal key",
                    key.length);
            key = key.clone();
        }

        @Override
        public byte[] key() {
            return key.clone();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof CompactPointer that && level == that.level && Arrays.equals(key, that.key);
        }

        @Override
        public int hashCode() {
            return level * 31 + Arrays.hashCode(key);
        }

        @Override
        public String toString() {
            return "CompactPointer[" + level + ", " + KeyRender.internal(key) + "]";
        }
    }

    /** A file removed from a level. Ordered by level, then number. */
    public record DeletedFile(int level, long number) implements Comparable<DeletedFile> {
        private static final Comparator<DeletedFile> ORDER =
                Comparator.comparingInt(DeletedFile::level).thenComparingLong(DeletedFile::number);

        public DeletedFile {
            checkLevel(level);
            checkArgument(number >= 0, "file number %s is negative", number);
        }

        @Override
        public int compareTo(DeletedFile other) {
            return ORDER.compare(this, other);
        }
    }

    /** A file added at a level. */
    public record NewFile(int level, FileMetadata file) {
        public NewFile {
            checkLevel(level);
            checkNotNull(file, "file");
        }
    }

    private String comparatorName;
    private Long logNumber;
    private Long previousLogNumber;
    private Long nextFileNumber;
    private Long lastSequence;
    private final List<CompactPointer> compactPointers = new ArrayList<>();
    private final SortedSet<DeletedFile> deletedFiles = new TreeSet<>();
    private final List<NewFile> newFiles = new ArrayList<>();

    public VersionEdit setComparatorName(String name) {
        this.comparatorName = checkNotNull(name, "name");
        return this;
    }

    public VersionEdit setLogNumber(long number) {
        this.logNumber = checkNumber(number);
        return this;
    }

    public VersionEdit setPreviousLogNumber(long number) {
        this.previousLogNumber = checkNumber(number);
        return this;
    }

    public VersionEdit setNextFileNumber(long number) {
        this.nextFileNumber = checkNumber(number);
        return this;
    }

    public VersionEdit setLastSequence(long sequence) {
        checkArgument(sequence >= 0 && sequence <= InternalKey.MAX_SEQUENCE, "sequence %s outside [0, 2^56 - 1]",
                sequence);
        this.lastSequence = sequence;
        return this;
    }

    /** Records where the next compaction at {@code level} resumes ({@code key}: an encoded internal key). */
    public VersionEdit addCompactPointer(int level, byte[] key) {
        compactPointers.add(new CompactPointer(level, key));
        return this;
    }

    /** Removes file {@code number} from {@code level}; naming the same file twice is the same as once. */
    public VersionEdit deleteFile(int level, long number) {
        deletedFiles.add(new DeletedFile(level, number));
        return this;
    }

    /** Adds {@code file} at {@code level}. */
    public VersionEdit addFile(int level, FileMetadata file) {
        newFiles.add(new NewFile(level, file));
        return this;
    }

    public Optional<String> comparatorName() {
        return Optional.ofNullable(comparatorName);
    }

    public OptionalLong logNumber() {
        return optional(logNumber);
    }

    public OptionalLong previousLogNumber() {
        return optional(previousLogNumber);
    }

    public OptionalLong nextFileNumber() {
        return optional(nextFileNumber);
    }

    public OptionalLong lastSequence() {
        return optional(lastSequence);
    }

    /** The compact pointers in the order added (a later one for a level wins when applied). */
    public List<CompactPointer> compactPointers() {
        return ImmutableList.copyOf(compactPointers);
    }

    /** The deleted files, ordered by level, then number. */
    public SortedSet<DeletedFile> deletedFiles() {
        return ImmutableSortedSet.copyOf(deletedFiles);
    }

    /** The new files in the order added. */
    public List<NewFile> newFiles() {
        return ImmutableList.copyOf(newFiles);
    }

    /** Whether the edit changes nothing. */
    public boolean isEmpty() {
        return comparatorName == null && logNumber == null && previousLogNumber == null && nextFileNumber == null
                && lastSequence == null && compactPointers.isEmpty() && deletedFiles.isEmpty()
                && newFiles.isEmpty();
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof VersionEdit)) {
            return false;
        }
        VersionEdit that = (VersionEdit) other;
        return Objects.equals(comparatorName, that.comparatorName) && Objects.equals(logNumber, that.logNumber)
                && Objects.equals(previousLogNumber, that.previousLogNumber)
                && Objects.equals(nextFileNumber, that.nextFileNumber)
                && Objects.equals(lastSequence, that.lastSequence)
                && compactPointers.equals(that.compactPointers) && deletedFiles.equals(that.deletedFiles)
                && newFiles.equals(that.newFiles);
    }

    @Override
    public int hashCode() {
        return Objects.hash(comparatorName, logNumber, previousLogNumber, nextFileNumber, lastSequence,
                compactPointers, deletedFiles, newFiles);
    }

    /** A one-line-per-field description, in the spirit of LevelDB's {@code DebugString}. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("VersionEdit {");
        if (comparatorName != null) {
            text.append("\n  Comparator: ").append(comparatorName);
        }
        appendNumber(text, "LogNumber", logNumber);
        appendNumber(text, "PrevLogNumber", previousLogNumber);
        appendNumber(text, "NextFile", nextFileNumber);
        appendNumber(text, "LastSeq", lastSequence);
        for (CompactPointer pointer : compactPointers) {
            text.append("\n  CompactPointer: ").append(pointer.level()).append(' ')
                    .append(KeyRender.internal(pointer.key));
        }
        for (DeletedFile deleted : deletedFiles) {
            text.append("\n  DeleteFile: ").append(deleted.level()).append(' ').append(deleted.number());
        }
        for (NewFile added : newFiles) {
            text.append("\n  AddFile: ").append(added.level()).append(' ').append(added.file());
        }
        return text.append("\n}").toString();
    }

    private static void appendNumber(StringBuilder text, String name, Long value) {
        if (value != null) {
            text.append("\n  ").append(name).append(": ").append(value);
        }
    }

    private static OptionalLong optional(Long value) {
        return value == null ? OptionalLong.empty() : OptionalLong.of(value);
    }

    private static long checkNumber(long number) {
        checkArgument(number >= 0, "file number %s is negative", number);
        return number;
    }

    private static void checkLevel(int level) {
        checkArgument(ManifestFormat.isLevel(level), "level %s is not in 0..%s", level, ManifestFormat.NUM_LEVELS - 1);
    }
}
