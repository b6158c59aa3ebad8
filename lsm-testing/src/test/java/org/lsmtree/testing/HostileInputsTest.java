package org.lsmtree.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class HostileInputsTest {
    private static final List<byte[]> CORPUS = List.of(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, new byte[40]);

    @Test
    void acceptedAndRejectedInputsAreCountedIntoTheReport() {
        TortureReport report = new TortureReport("test");
        HostileInputs.Tally tally = HostileInputs.run("odd lengths refused", CORPUS, IOException.class, input -> {
            if (input.length % 2 == 1) {
                throw new IOException("odd");
            }
        }, report);
        assertThat(tally.total()).isEqualTo(HostileInputs.cases());
        assertThat(tally.accepted()).isPositive();
        assertThat(tally.rejected()).isPositive();
        assertThat(report.get("odd lengths refused: rejected")).isEqualTo(tally.rejected());
        assertThat(report.get(TortureReport.HOSTILE_INPUTS)).isEqualTo(tally.total());
    }

    @Test
    void anExceptionOfAnotherTypeFailsTheRunNamingTheSeedAndTheInput() {
        assertThatThrownBy(() -> HostileInputs.run("untyped", CORPUS, IOException.class, input -> {
            if (input.length > 3) {
                throw new IndexOutOfBoundsException("index " + input.length);
            }
        }, new TortureReport("test")))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("untyped threw java.lang.IndexOutOfBoundsException")
                .hasMessageContaining("-Dlsm.seed=")
                .hasMessageContaining("input [");
    }

    @Test
    void anErrorFailsTheRunToo() {
        assertThatThrownBy(() -> HostileInputs.run("error", CORPUS, IOException.class, input -> {
            throw new OutOfMemoryError("simulated");
        }, new TortureReport("test"))).isInstanceOf(AssertionError.class).hasMessageContaining("OutOfMemoryError");
    }

    @Test
    void aCraftedInputMustBeRefusedWithinItsAllocationBound() {
        byte[] input = {1};
        assertThat(HostileInputs.assertRejected("small", input, IOException.class, 64 << 10, bytes -> {
            throw new IOException("refused");
        })).hasMessage("refused");
        assertThatThrownBy(() -> HostileInputs.assertRejected("greedy", input, IOException.class, 64 << 10, bytes -> {
            byte[] claimed = new byte[4 << 20];
            throw new IOException("refused after allocating " + claimed.length);
        })).isInstanceOf(AssertionError.class).hasMessageContaining("allocated");
        assertThatThrownBy(() -> HostileInputs.assertRejected("accepted", input, IOException.class, 64 << 10,
                bytes -> { })).isInstanceOf(AssertionError.class).hasMessageContaining("accepted");
    }

    @Test
    void varintsAreLevelDbs() {
        assertThat(HostileInputs.varint(0)).containsExactly(0);
        assertThat(HostileInputs.varint(300)).containsExactly(0xac, 0x02);
        assertThat(HostileInputs.varint(-1L)).hasSize(10).endsWith(0x01);
    }

    @Test
    void mutationsChangeTheSampleAndNeverTheCorpus() {
        byte[] sample = {1, 2, 3, 4, 5, 6, 7, 8};
        SeededRandom random = new SeededRandom(9);
        int changed = 0;
        for (int i = 0; i < 200; i++) {
            changed += java.util.Arrays.equals(HostileInputs.mutate(random, sample), sample) ? 0 : 1;
        }
        assertThat(sample).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
        assertThat(changed).isGreaterThan(150);
    }
}
