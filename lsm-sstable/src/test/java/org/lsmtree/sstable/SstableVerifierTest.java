package org.lsmtree.sstable;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lsmtree.format.VerificationReport;
import org.lsmtree.format.storage.Storage;
import org.lsmtree.testing.Corruptor;

class SstableVerifierTest {
    private final Path file = TableFixtures.jimfsFile("000009.ldb");
    private final Storage storage = TableFixtures.storageOf(file);
    private final TableOptions options = TableOptions.defaults().withBlockSize(1024);

    private List<BlockHandle> dataBlocks() throws IOException {
        List<BlockHandle> handles = new ArrayList<>();
        try (TableReader reader = TableReader.open(storage, file, options)) {
            BlockIterator index = reader.indexBlock().iterator(options.comparator());
            for (index.seekToFirst(); index.isValid(); index.next()) {
                handles.add(TableReader.handleIn(reader.indexBlock(), index.value(), "index"));
            }
        }
        return handles;
    }

    @Test
    void aCleanTableIsCleanWithItsCounts() throws IOException {
        TableFixtures.write(storage, file, options, TableFixtures.internalEntries(1_000));
        VerificationReport report = new SstableVerifier(options).verify(storage, file);
        assertThat(report.isClean()).as(report.toString()).isTrue();
        assertThat(report.count("entries")).isEqualTo(1_000);
        assertThat(report.count("data blocks")).isEqualTo(dataBlocks().size());
    }

    @Test
    void everyDamagedBlockIsReportedAtItsOffsetNotOnlyTheFirst() throws IOException {
        TableFixtures.write(storage, file, options, TableFixtures.internalEntries(1_000));
        List<BlockHandle> blocks = dataBlocks();
        BlockHandle second = blocks.get(1);
        BlockHandle fifth = blocks.get(4);
        Corruptor.of(storage, file).flipBit(second.offset() + 10, 3).flipBit(fifth.offset() + 100, 0);
        VerificationReport report = new SstableVerifier(options).verify(storage, file);
        assertThat(report.problems()).extracting(VerificationReport.Problem::offset)
                .containsExactly(second.offset(), fifth.offset());
        assertThat(report.problems()).allSatisfy(problem -> assertThat(problem.kind()).isEqualTo("BAD_BLOCK"));
        assertThat(report.count("data blocks")).isEqualTo(blocks.size());
    }

    @Test
    void keysThatFailTheirFilterAreReported() throws IOException {
        TableFixtures.write(storage, file, options, TableFixtures.internalEntries(1_000));
        // Read with a filter key the table was not written with: most keys miss their filter.
        TableOptions wrongFilterKey = options.withKeyOrder(options.comparator(), options.shortener(), FilterKey.WHOLE_KEY);
        VerificationReport report = new SstableVerifier(wrongFilterKey).verify(storage, file);
        assertThat(report.problems()).isNotEmpty()
                .allSatisfy(problem -> assertThat(problem.kind()).isEqualTo("FILTER_MISS"));
    }

    @Test
    void aTableShorterThanAFooterIsTruncated() throws IOException {
        TableFixtures.write(storage, file, options, TableFixtures.internalEntries(10));
        Corruptor.of(storage, file).truncate(20);
        VerificationReport report = new SstableVerifier(options).verify(storage, file);
        assertThat(report.problems()).singleElement()
                .satisfies(problem -> assertThat(problem.kind()).isEqualTo("TRUNCATED"));
    }
}
