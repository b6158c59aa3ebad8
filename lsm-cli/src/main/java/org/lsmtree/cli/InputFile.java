package org.lsmtree.cli;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Optional;
import org.lsmtree.format.FileNames;
import org.lsmtree.format.FileType;

/**
 * Checks the file an inspection command was given before anything reads it: that it exists, is
 * not a directory, and that its name (when it is a LevelDB name at all) is of a kind the command
 * reads. A file renamed to no LevelDB name is read as asked. Stateless.
 */
final class InputFile {
    private InputFile() {}

    static Path check(Path file, String command, EnumSet<FileType> accepted) throws NoSuchFileException {
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString());
        }
        if (Files.isDirectory(file)) {
            throw new CliException(ExitCodes.USAGE, file + ": is a directory; " + command + " reads one file");
        }
        Optional<FileNames.Parsed> parsed = FileNames.parse(file);
        if (parsed.isPresent() && !accepted.contains(parsed.get().type())) {
            throw new CliException(ExitCodes.USAGE, file + ": is a " + kindName(parsed.get().type())
                    + " by its name, not what " + command + " reads" + hint(parsed.get().type()));
        }
        return file;
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
