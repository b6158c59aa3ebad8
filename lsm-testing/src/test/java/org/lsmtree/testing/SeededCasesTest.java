package org.lsmtree.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SeededCasesTest {
    private static final Pattern SEED = Pattern.compile("seed (-?\\d+)");

    @Test
    void passingPropertyRunsEveryCaseOnADifferentSeed() throws Exception {
        List<Long> seeds = new ArrayList<>();
        int ran = withProperties(null, "1",
                () -> SeededCases.check(50, random -> seeds.add(random.seed())));
        assertThat(ran).isEqualTo(50);
        assertThat(seeds).hasSize(50).doesNotHaveDuplicates();
    }

    @Test
    void multiplierMultipliesTheCases() throws Exception {
        int[] ran = {0};
        withProperties(null, "3", () -> SeededCases.check(5, random -> ran[0]++));
        assertThat(ran[0]).isEqualTo(15);
        assertThatThrownBy(() -> withProperties(null, "0", () -> SeededCases.count(5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lsm.cases.multiplier=0");
    }

    @Test
    void failureNamesTheTestAndItsSeedWhichReplaysExactlyThatCase() throws Exception {
        SeededCases.Property property = random -> {
            int draw = random.nextInt(20);
            assertThat(draw).as("draw").isNotZero();
        };
        AssertionError failure = catchThrowableOfType(AssertionError.class,
                () -> withProperties(null, "1", () -> SeededCases.check(2000, property)));
        assertThat(failure.getMessage())
                .startsWith("SeededCasesTest.failureNamesTheTestAndItsSeedWhichReplaysExactlyThatCase failed on case ")
                .containsPattern("replay: (mvn -B -pl lsm-testing -am verify -Dsurefire.failIfNoSpecifiedTests=false )?"
                        + "-Dtest='SeededCasesTest#failureNamesTheTestAndItsSeedWhichReplaysExactlyThatCase'")
                .contains("[draw]");
        String seed = seedOf(failure);
        assertThat(failure.getMessage()).contains("-Dlsm.seed=" + seed);
        assertThat(new SeededRandom(Long.parseLong(seed)).nextInt(20)).isZero();

        List<Long> replayed = new ArrayList<>();
        AssertionError replay = catchThrowableOfType(AssertionError.class, () -> withProperties(
                seed, "1", () -> SeededCases.check(2000, random -> {
                    replayed.add(random.seed());
                    property.check(random);
                })));
        assertThat(replayed).containsExactly(Long.parseLong(seed));
        assertThat(replay.getMessage()).contains("the case replayed by -Dlsm.seed, seed " + seed);
    }

    @Test
    void replaySeedMayBeHex() throws Exception {
        long[] seen = new long[1];
        withProperties("0xff", "1", () -> SeededCases.check(10, random -> seen[0] = random.seed()));
        assertThat(seen[0]).isEqualTo(255);
        assertThatThrownBy(() -> withProperties("x1", "1", () -> SeededCases.count(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-Dlsm.seed=x1");
    }

    @Test
    void failingListIsShrunkToTheItemsThatStillFail() {
        AssertionError failure = catchThrowableOfType(AssertionError.class, () -> withProperties(null, "1",
                () -> SeededCases.checkShrinking(1, random -> IntStream.range(0, 100).boxed().toList(),
                        (items, random) -> assertThat(items.contains(13) && items.contains(57)).isFalse())));
        assertThat(failure.getMessage()).contains("shrunk from 100 to 2 items").contains("0: 13").contains("1: 57");
    }

    @Test
    void shrinkerKeepsTheWholeListWhenEveryItemIsNeeded() {
        List<Integer> items = List.of(1, 2, 3);
        ListShrinker.Result<Integer> result = ListShrinker.shrink(items, new AssertionError(),
                candidate -> candidate.size() == 3 ? new AssertionError("all three") : null);
        assertThat(result.items()).containsExactly(1, 2, 3);
        assertThat(result.attempts()).isPositive();
    }

    private static String seedOf(AssertionError failure) {
        Matcher matcher = SEED.matcher(failure.getMessage());
        assertThat(matcher.find()).isTrue();
        return matcher.group(1);
    }

    /**
     * Runs {@code body} with {@code -Dlsm.seed} and {@code -Dlsm.cases.multiplier} as given (null
     * clears one), whatever the surrounding run set, then restores them.
     */
    private static <T> T withProperties(String seed, String multiplier, Callable<T> body) throws Exception {
        String oldSeed = System.getProperty(SeededCases.SEED_PROPERTY);
        String oldMultiplier = System.getProperty(SeededCases.MULTIPLIER_PROPERTY);
        set(SeededCases.SEED_PROPERTY, seed);
        set(SeededCases.MULTIPLIER_PROPERTY, multiplier);
        try {
            return body.call();
        } finally {
            set(SeededCases.SEED_PROPERTY, oldSeed);
            set(SeededCases.MULTIPLIER_PROPERTY, oldMultiplier);
        }
    }

    private static void set(String name, String value) {
        if (value == null) {
            System.clearProperty(name);
        } else {
            System.setProperty(name, value);
        }
    }
}
