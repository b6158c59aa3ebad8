package org.lsmtree.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.EnumSet;
import java.util.Optional;
import java.util.stream.Stream;
import org.lsmtree.format.FileNames;
import org.lsmtree.format.FileType;

/**
 * Checks the file an inspection command was given before anything reads it: that it exists, is
 * a regular file (not a directory, pipe or device), and that its name (when it is a LevelDB name at all) is of a kind the command
 * reads. A file renamed to no LevelDB name is read as asked. Stateless.
 */
final class InputFile {
    private InputFile() {}

    static Path check(Path file, String command, EnumSet<FileType> accepted) throws IOException {
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString());
        }
        if (Files.isDirectory(file)) {
            throw new CliException(ExitCodes.USAGE, file + ": is a directory; " + command + " reads one file");
        }
        requireRegular(file);
        Optional<FileNames.Parsed> parsed = FileNames.parse(file);
        if (parsed.isPresent() && !accepted.contains(parsed.get().type())) {
            throw new CliException(ExitCodes.USAGE, file + ": is a " + kindName(parsed.get().type())
                    + " by its name, not what " + command + " reads" + hint(parsed.get().type()));
        }
        return file;
    }

    /**
     * Refuses a file that is not a regular one (a named pipe, a device, a socket, or a symbolic
     * link to one), before anything opens it: reading {@code /dev/zero} or a pipe never ends.
     */
    static void requireRegular(Path file) throws IOException {
        if (Files.exists(file) && !Files.isRegularFile(file) && !Files.isDirectory(file)) {
            throw new CliException(ExitCodes.USAGE, file + ": is not a regular file (" + what(file)
                    + "); lsm reads regular files only");
        }
    }

    /**
     * Refuses a store directory holding, under a LevelDB name (CURRENT, LOCK, a MANIFEST, a log, a
     * table), anything that is not a regular file: opening the store would read it, or block.
     */
    static void requireRegularStoreFiles(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return;
        }
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                if (FileNames.parse(file).isPresent() && !Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
                    requireRegular(file);
                }
            }
        }
    }

    private static String what(Path file) throws IOException {
        String target = Files.isSymbolicLink(file) ? "a symbolic link to " + Files.readSymbolicLink(file) + ", " : "";
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        return target + (attributes.isOther() ? "a named pipe, device or socket" : "not a file");
    }

    static String kindName(FileType type) {
        return switch (type) {
            case LOG -> "write-ahead log";
            case TABLE, LEGACY_TABLE -> "table";
            case MANIFEST -> "MANIFEST";
            case CURRENT -> "CURRENT file";
            case LOCK -> "LOCK file";
            case INFO_LOG, OLD_INFO_LOG -> "info log";
            case TEMP -> "temp file";
        };
    }

    private static String hint(FileType type) {
        return switch (type) {
            case LOG -> " (try: lsm wal dump)";
            case TABLE, LEGACY_TABLE -> " (try: lsm sst dump)";
            case MANIFEST -> " (try: lsm manifest dump)";
            default -> "";
        };
    }
}
