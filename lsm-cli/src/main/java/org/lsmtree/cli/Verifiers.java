package org.lsmtree.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.lsmtree.format.FileType;
import org.lsmtree.format.VerificationReport;
import org.lsmtree.format.storage.Storage;
import org.lsmtree.manifest.CurrentFile;
import org.lsmtree.manifest.ManifestVerifier;
import org.lsmtree.sstable.TableOptions;
import org.lsmtree.sstable.SstableVerifier;
import org.lsmtree.wal.WalVerifier;

/** The verifier for each kind of file, by its {@link FileType}. Stateless. */
final class Verifiers {
    private Verifiers() {}

    /** Checks one file and reports what it found. */
    interface FileVerifier {
        VerificationReport verify(Storage storage, Path file) throws IOException;
    }

    /** The verifier of {@code type}, or null for kinds with nothing to check (LOCK, info logs). */
    static FileVerifier forType(FileType type) {
        return switch (type) {
            case LOG -> new WalVerifier()::verify;
            case TABLE, LEGACY_TABLE -> new SstableVerifier(TableOptions.defaults())::verify;
            case MANIFEST -> new ManifestVerifier()::verify;
            case CURRENT -> Verifiers::verifyCurrent;
            default -> null;
        };
    }

    private static VerificationReport verifyCurrent(Storage storage, Path file) throws IOException {
        VerificationReport.Builder report = VerificationReport.builder(file.toString())
                .checked("CURRENT names a MANIFEST, ends in a newline, and the MANIFEST exists");
        Path directory = file.toAbsolutePath().getParent();
        try {
            String manifest = CurrentFile.read(storage, directory);
            if (!storage.exists(directory.resolve(manifest))) {
                report.problem(-1, "MISSING_MANIFEST", "CURRENT names " + manifest + ", which is missing");
            }
        } catch (org.lsmtree.format.CorruptionException e) {
            report.problem(e.offset(), "CURRENT", e.reason());
        }
        return report.build();
    }
}
