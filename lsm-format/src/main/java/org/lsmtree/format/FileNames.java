package org.lsmtree.format;

import com.google.common.base.Preconditions;
import java.nio.file.Path;
import java.util.Optional;

/**
 * LevelDB's file names: formatting and parsing. Numbered files carry a decimal file number
 * padded to at least six digits ({@code 000123.log}); parsing accepts any number of digits that
 * fits in 64 unsigned bits, as LevelDB does. Stateless.
 */
public final class FileNames {
    public static final String CURRENT = "CURRENT";
    public static final String LOCK = "LOCK";
    public static final String INFO_LOG = "LOG";
    public static final String OLD_INFO_LOG = "LOG.old";
    public static final String MANIFEST_PREFIX = "MANIFEST-";

    private FileNames() {}

    /** A file name parsed: its type and number (0 for the unnumbered files). */
    public record Parsed(FileType type, long number) {}

    public static String logFileName(long number) {
        return numbered(number, ".log");
    }

    public static String tableFileName(long number) {
        return numbered(number, ".ldb");
    }

    public static String legacyTableFileName(long number) {
        return numbered(number, ".sst");
    }

    public static String manifestFileName(long number) {
        checkNumber(number);
        return MANIFEST_PREFIX + String.format("%06d", number);
    }

    public static String tempFileName(long number) {
        return numbered(number, ".dbtmp");
    }

    public static Path logFile(Path directory, long number) {
        return directory.resolve(logFileName(number));
    }

    public static Path tableFile(Path directory, long number) {
        return directory.resolve(tableFileName(number));
    }

    public static Path legacyTableFile(Path directory, long number) {
        return directory.resolve(legacyTableFileName(number));
    }

    public static Path manifestFile(Path directory, long number) {
        return directory.resolve(manifestFileName(number));
    }

    public static Path tempFile(Path directory, long number) {
        return directory.resolve(tempFileName(number));
    }

    public static Path currentFile(Path directory) {
        return directory.resolve(CURRENT);
    }

    public static Path lockFile(Path directory) {
        return directory.resolve(LOCK);
    }

    /** The type and number of a file name (no directory part), or empty when it is none of ours. */
    public static Optional<Parsed> parse(String name) {
        switch (name) {
            case CURRENT:
                return Optional.of(new Parsed(FileType.CURRENT, 0));
            case LOCK:
                return Optional.of(new Parsed(FileType.LOCK, 0));
            case INFO_LOG:
                return Optional.of(new Parsed(FileType.INFO_LOG, 0));
            case OLD_INFO_LOG:
                return Optional.of(new Parsed(FileType.OLD_INFO_LOG, 0));
            default:
                break;
        }
        if (name.startsWith(MANIFEST_PREFIX)) {
            String digits = name.substring(MANIFEST_PREFIX.length());
            return parseNumber(digits).map(n -> new Parsed(FileType.MANIFEST, n));
        }
        int dot = name.indexOf('.');
        if (dot <= 0) {
            return Optional.empty();
        }
        FileType type = suffixType(name.substring(dot));
        if (type == null) {
            return Optional.empty();
        }
        return parseNumber(name.substring(0, dot)).map(n -> new Parsed(type, n));
    }

    /** {@link #parse(String)} of the last element of {@code file}. */
    public static Optional<Parsed> parse(Path file) {
        Path name = file.getFileName();
        return name == null ? Optional.empty() : parse(name.toString());
    }

    private static FileType suffixType(String suffix) {
        switch (suffix) {
            case ".log":
                return FileType.LOG;
            case ".ldb":
                return FileType.TABLE;
            case ".sst":
                return FileType.LEGACY_TABLE;
            case ".dbtmp":
                return FileType.TEMP;
            default:
                return null;
        }
    }

    /** A non-empty run of decimal digits that fits in 64 unsigned bits. */
    private static Optional<Long> parseNumber(String digits) {
        if (digits.isEmpty() || digits.length() > 20) {
            return Optional.empty();
        }
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            if (c < '0' || c > '9') {
                return Optional.empty();
            }
        }
        try {
            return Optional.of(Long.parseUnsignedLong(digits));
        } catch (NumberFormatException overflow) {
            return Optional.empty();
        }
    }

    private static String numbered(long number, String suffix) {
        checkNumber(number);
        return String.format("%06d", number) + suffix;
    }

    private static void checkNumber(long number) {
        Preconditions.checkArgument(number >= 0, "file number %s is negative", number);
    }
}
