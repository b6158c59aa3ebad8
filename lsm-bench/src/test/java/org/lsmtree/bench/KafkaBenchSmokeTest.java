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
 * {@code ./bench --kafka} on a few hundred records: every topology on both stores, each in its own
 * JVM, in TopologyTestDriver and on a real broker, ends with the same store contents and the sums
 * the input implies, and the table of medians comes out. Says nothing about speed.
 */
class KafkaBenchSmokeTest {
    private static final int NUM = 400;

    @TempDir
    Path directory;

    @Test
    void everyTopologyOnBothStoresEndsWithTheSameContentsInTheirOwnJvms() throws Exception {
        Path markdown = directory.resolve("kafka.md");
        KafkaBench.Plan plan = KafkaBench.plan(Flags.parse(new String[] {"--kafka", "--num", Integer.toString(NUM),
            "--heap", "256m", "--dir", directory.resolve("state").toString(), "--markdown", markdown.toString()},
            KafkaBench.FLAGS, KafkaBench.SWITCHES));
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        List<KafkaMeasurement> results = KafkaBench.run(plan, new PrintStream(out, true, StandardCharsets.UTF_8));

        assertThat(results).extracting(r -> r.workload() + " " + r.store()).containsExactly(
                "wordcount rocksdb", "wordcount lsmtree", "aggregate rocksdb", "aggregate lsmtree",
                "windowed rocksdb", "windowed lsmtree", "session rocksdb", "session lsmtree");
        for (KafkaMeasurement run : results) {
            assertThat(run.records()).isEqualTo(NUM);
            assertThat(run.mode()).isEqualTo("driver");
            assertThat(run.valueSum()).as(run.store() + " " + run.workload()).isEqualTo(run.expectedSum());
            assertThat(run.recordsPerSecond()).isPositive();
            assertThat(run.heapBytes()).isPositive();
        }
        for (int i = 0; i < results.size(); i += 2) {
            assertThat(results.get(i + 1).checksum()).as(results.get(i).workload())
                    .isEqualTo(results.get(i).checksum());
        }
        assertThat(results.get(0).valueSum()).as("five words a line").isEqualTo(5L * NUM);
        assertThat(results.get(2).entries()).as("one entry per distinct key").isEqualTo(NUM);
        assertThat(results.get(4).valueSum()).as("one count per record").isEqualTo(NUM);
        assertThat(results.get(6).valueSum()).as("one count per record").isEqualTo(NUM);
        assertThat(results.get(7).entries()).as("sessions merged: fewer than records").isLessThan(NUM).isPositive();
        assertThat(results.get(3).stateBytes()).as("our store has written its log").isPositive();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("commits after every record",
                "| aggregate | at_least_once | every record | lsmtree |", "| session |");
        assertThat(Files.readString(markdown)).contains("| wordcount | at_least_once | every record | rocksdb |");
        assertThat(directory.resolve("state")).isEmptyDirectory();
    }

    @Test
    void onABrokerBothStoresRunUnderBothGuaranteesWithTheirCommitIntervals() throws Exception {
        KafkaBench.Plan plan = KafkaBench.plan(Flags.parse(new String[] {"--kafka", "--broker", "--num", "200",
            "--workloads", "wordcount", "--heap", "384m", "--dir", directory.resolve("state").toString()},
            KafkaBench.FLAGS, KafkaBench.SWITCHES));
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        List<KafkaMeasurement> results = KafkaBench.run(plan, new PrintStream(out, true, StandardCharsets.UTF_8));

        assertThat(results).extracting(r -> r.store() + " " + r.guarantee() + " " + r.commitIntervalMs())
                .containsExactly("rocksdb at_least_once 30000", "rocksdb exactly_once_v2 100",
                        "lsmtree at_least_once 30000", "lsmtree exactly_once_v2 100");
        for (KafkaMeasurement run : results) {
            assertThat(run.mode()).isEqualTo("broker");
            assertThat(run.valueSum()).as(run.store() + " " + run.guarantee()).isEqualTo(5L * 200);
            assertThat(run.checksum()).isEqualTo(results.get(0).checksum());
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("KRaft broker",
                "| wordcount | exactly_once_v2 | 100 ms | lsmtree |");
    }

    @Test
    void theTableShowsTheMedianRoundOfEachStoreWithTheSlowestAndFastest() {
        List<KafkaMeasurement> runs = List.of(rate("lsmtree", 1, 300), rate("rocksdb", 1, 900),
                rate("lsmtree", 2, 100), rate("rocksdb", 2, 1000), rate("lsmtree", 3, 200), rate("rocksdb", 3, 800));

        assertThat(KafkaBench.medians(runs)).extracting(KafkaMeasurement::round).containsExactly(3, 1);
        String table = KafkaBench.table(runs, List.of("rocksdb", "lsmtree"));
        assertThat(table).contains("| wordcount | at_least_once | every record | rocksdb | 900 | 800..1,000 |",
                "| wordcount | at_least_once | every record | lsmtree | 200 | 100..300 |");
        assertThat(table.indexOf("rocksdb")).isLessThan(table.indexOf("lsmtree"));
        assertThat(KafkaBench.medians(List.of(rate("lsmtree", 1, 5), rate("lsmtree", 2, 7))))
                .as("the lower median of two").extracting(KafkaMeasurement::round).containsExactly(1);
    }

    @Test
    void brokerOnlyFlagsWithoutTheBrokerAreRefused() {
        assertThatThrownBy(() -> KafkaBench.plan(Flags.parse(new String[] {"--commit-ms", "100"}, KafkaBench.FLAGS,
                KafkaBench.SWITCHES))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--broker");
        assertThatThrownBy(() -> KafkaBench.plan(Flags.parse(new String[] {"--broker", "--guarantees", "exactly_once"},
                KafkaBench.FLAGS, KafkaBench.SWITCHES))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("exactly_once");
        assertThatThrownBy(() -> KafkaBench.plan(Flags.parse(new String[] {"--rounds", "0"}, KafkaBench.FLAGS,
                KafkaBench.SWITCHES))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--rounds");
    }

    private static KafkaMeasurement rate(String store, int round, double recordsPerSecond) {
        return new KafkaMeasurement(store, "wordcount", "driver", "at_least_once", 0, round, 10, 1, recordsPerSecond,
                0, 1, 1, 1, 10, 50, 50, 1);
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
        KafkaMeasurement short1 = new KafkaMeasurement("rocksdb", "aggregate", "driver", "at_least_once", 0, 1, 10, 1,
                10, 0, 1, 1, 1, 10, 54, 55, 1);
        KafkaMeasurement short2 = new KafkaMeasurement("lsmtree", "aggregate", "driver", "at_least_once", 0, 1, 10, 1,
                10, 0, 1, 1, 1, 10, 54, 55, 1);
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
        return new KafkaMeasurement(store, "wordcount", "driver", "at_least_once", 0, 1, 10, 1, 10, 0, 1, 1, 1, entries,
                sum, sum, checksum);
    }
}
