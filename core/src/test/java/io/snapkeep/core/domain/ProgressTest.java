package io.snapkeep.core.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProgressTest {
    private static Progress planned(long bytes, long entries) {
        return Progress.NONE.withTotals(bytes, entries);
    }

    @Test
    void anEstimateThatProvesLowGrowsWithTheWorkSoDoneNeverExceedsTheTotal() {
        Progress p = planned(3, 1).plusEntry(3).plusEntry(184);
        assertThat(p.bytes()).isEqualTo(187);
        assertThat(p.bytesTotal()).isEqualTo(187);
        assertThat(p.entriesTotal()).isEqualTo(2);
        assertThat(p.percent(false)).hasValue(99.9);
        assertThat(planned(10, 5).plusBytes(25).bytesTotal()).isEqualTo(25);
    }

    @Test
    void anExactOrUnknownTotalIsLeftAsItIs() {
        Progress p = planned(100, 4).plusEntry(40);
        assertThat(p.bytesTotal()).isEqualTo(100);
        assertThat(p.entriesTotal()).isEqualTo(4);
        assertThat(p.percent(false)).hasValue(40.0);
        Progress unknown = planned(Progress.UNKNOWN, Progress.UNKNOWN).plusEntry(40).plusBytes(2);
        assertThat(unknown.bytesTotal()).isEqualTo(Progress.UNKNOWN);
        assertThat(unknown.entriesTotal()).isEqualTo(Progress.UNKNOWN);
        assertThat(unknown.percent(false)).isEmpty();
    }
}
