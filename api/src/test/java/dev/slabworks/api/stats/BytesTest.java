package dev.slabworks.api.stats;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BytesTest {
    @Test
    void below_a_kibibyte_is_plain_bytes() {
        assertThat(Bytes.format(0)).isEqualTo("0 B");
        assertThat(Bytes.format(1023)).isEqualTo("1023 B");
    }

    @Test
    void larger_counts_take_the_largest_binary_unit_with_three_significant_digits() {
        assertThat(Bytes.format(1024)).isEqualTo("1.00 KiB");
        assertThat(Bytes.format(1_198_544)).isEqualTo("1.14 MiB");
        assertThat(Bytes.format(44L << 20)).isEqualTo("44.0 MiB");
        assertThat(Bytes.format(123L << 20)).isEqualTo("123 MiB");
        assertThat(Bytes.format(1023L << 20)).isEqualTo("1023 MiB");
        assertThat(Bytes.format(3L << 30)).isEqualTo("3.00 GiB");
        assertThat(Bytes.format(Long.MAX_VALUE)).isEqualTo("8.00 EiB");
    }

    @Test
    void a_value_that_rounds_up_to_the_next_digit_keeps_three_digits() {
        assertThat(Bytes.format((long) (9.999 * 1024 * 1024))).isEqualTo("10.0 MiB");
        assertThat(Bytes.format((long) (99.99 * 1024 * 1024))).isEqualTo("100 MiB");
    }
}
