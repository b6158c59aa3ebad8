package org.lsmtree.wal;

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
import org.lsmtree.testing.Corruptor;
import org.lsmtree.testing.Mutation;

class WalVerifierTest {
    private final FileSystem fs = Jimfs.newFileSystem(Configuration.unix());
    private final NioStorage storage = NioStorage.of(fs);

    @Test
    void cleanLogIsSummarized() throws IOException {
        List<List<Mutation>> batches = WalFixtures.randomBatches(new Random(1), 40, 50);
        WalFixtures.Wal wal = WalFixtures.write(batches);
        Path file = fs.getPath("/000005.log");
        Files.write(file, wal.bytes());
        VerificationReport report = new WalVerifier().verify(storage, file);
        long entries = batches.stream().mapToLong(List::size).sum();
        long puts = batches.stream().flatMap(List::stream).filter(Mutation::isPut).count();
        assertThat(report.isClean()).as(report.toString()).isTrue();
        assertThat(report.count("batches")).isEqualTo(40);
        assertThat(report.count("entries")).isEqualTo(entries);
        assertThat(report.count("puts")).isEqualTo(puts);
        assertThat(report.count("deletes")).isEqualTo(entries - puts);
        assertThat(report.count("first sequence")).isEqualTo(1);
        assertThat(report.count("last sequence")).isEqualTo(entries);
        assertThat(report.count("bytes")).isEqualTo(wal.bytes().length);
    }

    @Test
    void reportsEveryProblemWithItsOffset() throws IOException {
        List<List<Mutation>> batches = WalFixtures.randomBatches(new Random(2), 400, 200);
        WalFixtures.Wal wal = WalFixtures.write(batches);
        Path file = fs.getPath("/000005.log");
        Files.write(file, wal.bytes());
        long firstDamage = wal.batches().get(10).firstHeader();
        long secondDamage = wal.batches().stream().filter(w -> w.firstHeader() > 40_000).findFirst().orElseThrow().firstHeader();
        Corruptor.of(storage, file).flipBit(firstDamage + 8, 0).flipBit(secondDamage + 9, 2).truncate(wal.bytes().length - 3);
        VerificationReport report = new WalVerifier().verify(storage, file);
        assertThat(report.problems()).extracting(VerificationReport.Problem::offset)
                .startsWith(firstDamage).contains(secondDamage);
        assertThat(report.problems()).extracting(VerificationReport.Problem::kind).contains("BAD_CHECKSUM", "TORN_TAIL");
        assertThat(report.count("bytes dropped")).isPositive();
        assertThat(report.count("batches")).isLessThan(400).isGreaterThan(10);
    }
}
