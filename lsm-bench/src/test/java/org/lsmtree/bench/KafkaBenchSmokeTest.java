package org.lsmtree.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./bench --kafka} on a few hundred records: both topologies on both stores, each in its own
 * JVM, end with the same store contents and the sums the input implies, and the table comes out.
 * Says nothing about speed.
 */
class KafkaBenchSmokeTest {
    private static final int NUM = 400;

    @TempDir
    Path directory;

    @Test
    void bothTopologiesOnBothStoresEndWithTheSameContentsInTheirOwnJvms() throws Exception {
        Path markdown = directory.resolve("kafka.md");
        KafkaBench.Plan plan = KafkaBench.plan(Flags.parse(new String[] {"--kafka", "--num", Integer.toString(NUM),
            "--heap", "256m", "--dir", directory.resolve("state").toString(), "--markdown", markdown.toString()},
            KafkaBench.FLAGS, KafkaBench.SWITCHES));
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        List<KafkaMeasurement> results = KafkaBench.run(plan, new PrintStream(out, true, StandardCharsets.UTF_8));

        assertThat(results).extracting(KafkaMeasurement::store)
                .containsExactly("rocksdb", "lsmtree", "rocksdb", "lsmtree");
        for (KafkaMeasurement run : results) {
            assertThat(run.records()).isEqualTo(NUM);
            assertThat(run.valueSum()).as(run.store() + " " + run.workload()).isEqualTo(run.expectedSum());
            assertThat(run.recordsPerSecond()).isPositive();
            assertThat(run.heapBytes()).isPositive();
        }
        assertThat(results.get(0).valueSum()).as("five words a line").isEqualTo(5L * NUM);
        assertThat(results.get(1).checksum()).isEqualTo(results.get(0).checksum());
        assertThat(results.get(2).entries()).as("one entry per distinct key").isEqualTo(NUM);
        assertThat(results.get(3).entries()).isEqualTo(NUM);
        assertThat(results.get(3).checksum()).isEqualTo(results.get(2).checksum());
        assertThat(results.get(3).stateBytes()).as("our store has written its log").isPositive();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("commits after every record",
                "| aggregate | lsmtree |");
        assertThat(Files.readString(markdown)).contains("| wordcount | rocksdb |");
        assertThat(directory.resolve("state")).isEmptyDirectory();
    }

    @Test
    void storesThatDisagreeFailTheRun() {
        KafkaMeasurement rocks = measurement("rocksdb", 10, 55, 0xabcL);
        assertThatThrownBy(() -> KafkaBench.check(List.of(rocks, measurement("lsmtree", 10, 55, 0xabdL))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("disagree");
        assertThatThrownBy(() -> KafkaBench.check(List.of(rocks, measurement("lsmtree", 9, 55, 0xabcL))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("disagree");
        KafkaBench.check(List.of(rocks, measurement("lsmtree", 10, 55, 0xabcL)));
    }

    @Test
    void aSumOtherThanTheInputsFailsTheRunEvenWhenTheStoresAgree() {
        KafkaMeasurement short1 = new KafkaMeasurement("rocksdb", "aggregate", 10, 1, 10, 0, 1, 1, 1, 10, 54, 55, 1);
        KafkaMeasurement short2 = new KafkaMeasurement("lsmtree", "aggregate", 10, 1, 10, 0, 1, 1, 1, 10, 54, 55, 1);
        assertThatThrownBy(() -> KafkaBench.check(List.of(short1, short2)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("add up to 54, the input to 55");
    }

    @Test
    void distinctKeysNeverCollide() {
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            assertThat(keys.add(KafkaWorkload.distinctKey(i, 301))).as("key of record " + i).isTrue();
        }
    }

    @Test
    void unknownStoresAndWorkloadsAreRefusedBeforeAnyJvmStarts() {
        Set<String> known = KafkaBench.FLAGS;
        assertThatThrownBy(() -> KafkaBench.plan(Flags.parse(new String[] {"--stores", "rocksdb,leveldb"}, known,
                Set.of()))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("leveldb");
        assertThatThrownBy(() -> KafkaBench.plan(Flags.parse(new String[] {"--workloads", "join"}, known,
                Set.of()))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("join");
    }

    private static KafkaMeasurement measurement(String store, long entries, long sum, long checksum) {
        return new KafkaMeasurement(store, "wordcount", 10, 1, 10, 0, 1, 1, 1, entries, sum, sum, checksum);
    }
}
