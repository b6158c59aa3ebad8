package org.lsmtree.format.log;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.lsmtree.format.VerificationReport;
import org.lsmtree.format.storage.NioStorage;

class LogVerifierTest {
    private final FileSystem fileSystem = Jimfs.newFileSystem(Configuration.unix());
    private final NioStorage storage = NioStorage.of(fileSystem);

    @Test
    void cleanLogIsCountedRecordByRecord() throws IOException {
        Path file = write(List.of(new byte[0], new byte[100], new byte[70_000]));
        VerificationReport report = new LogVerifier().verify(storage, file);
        assertThat(report.isClean()).as(report.toString()).isTrue();
        assertThat(report.count("records")).isEqualTo(3);
        assertThat(report.count("payload bytes")).isEqualTo(70_100);
        assertThat(report.count("largest record")).isEqualTo(70_000);
        assertThat(report.count("bytes")).isEqualTo(Files.size(file));
        assertThat(report.checks()).contains("masked CRC32C of every fragment");
    }

    @Test
    void everyProblemIsReportedNotOnlyTheFirst() throws IOException {
        Random random = new Random(3);
        List<byte[]> records = List.of(LogFixtures.randomBytes(random, 40_000), LogFixtures.randomBytes(random, 100),
                LogFixtures.randomBytes(random, 40_000), LogFixtures.randomBytes(random, 100));
        LogFixtures.Log log = LogFixtures.write(records);
        byte[] bytes = log.bytes().clone();
        bytes[(int) log.records().get(1).firstHeader() + 20] ^= 1; // payload of record 1, block 1
        byte[] torn = java.util.Arrays.copyOf(bytes, bytes.length - 10); // and a torn tail
        Path file = fileSystem.getPath("/000009.log");
        Files.write(file, torn);
        VerificationReport report = new LogVerifier().verify(storage, file);
        assertThat(report.problems()).extracting(VerificationReport.Problem::kind)
                .containsExactly("BAD_CHECKSUM", "FRAGMENT_OUT_OF_ORDER", "TORN_TAIL");
        assertThat(report.problems().get(0).offset()).isEqualTo(log.records().get(1).firstHeader());
        assertThat(report.problems().get(2).offset()).isEqualTo(log.records().get(3).firstHeader());
        assertThat(report.count("records")).isEqualTo(1);
        assertThat(report.count("bytes dropped")).isPositive();
    }

    private Path write(List<byte[]> records) throws IOException {
        Path file = fileSystem.getPath("/000005.log");
        Files.write(file, LogFixtures.write(records).bytes());
        return file;
    }
}
