package dev.slabworks.testkit.contract;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The skip-ahead walk of {@link Patterns} visits exactly the positions {@link Patterns#written} names. */
class PatternsTest {
    @Test
    void next_written_visits_exactly_the_written_positions_for_every_size_up_to_5000() {
        for (long size = 0; size <= 5000; size++) {
            List<Long> walked = new ArrayList<>();
            for (long i = 0; i < size; i = Patterns.nextWritten(i, size)) {
                walked.add(i);
            }
            List<Long> expected = new ArrayList<>();
            for (long i = 0; i < size; i++) {
                if (Patterns.written(i, size)) {
                    expected.add(i);
                }
            }
            assertThat(walked).as("size %d", size).isEqualTo(expected);
        }
    }
}
