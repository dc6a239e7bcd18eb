package dev.jpull.cli.option;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

/** {@code --keep-storage SIZE}: binary suffixes as docker's {@code --keep-storage}, anything else refused. */
class ByteSizesTest {
    @Test
    void plainBytesAndBinarySuffixes() {
        assertThat(ByteSizes.parse("0")).isZero();
        assertThat(ByteSizes.parse("1234")).isEqualTo(1234);
        assertThat(ByteSizes.parse("1234b")).isEqualTo(1234);
        assertThat(ByteSizes.parse("1k")).isEqualTo(1024);
        assertThat(ByteSizes.parse("1KB")).isEqualTo(1024);
        assertThat(ByteSizes.parse("1KiB")).isEqualTo(1024);
        assertThat(ByteSizes.parse("500m")).isEqualTo(500L << 20);
        assertThat(ByteSizes.parse("20GB")).isEqualTo(20L << 30);
        assertThat(ByteSizes.parse("20 GiB")).isEqualTo(20L << 30);
        assertThat(ByteSizes.parse("2t")).isEqualTo(2L << 40);
        assertThat(ByteSizes.parse("1.5g")).isEqualTo(3L << 29);
        assertThat(ByteSizes.parse(" 7m ")).isEqualTo(7L << 20);
    }

    @Test
    void whatIsNotASizeIsRefused() {
        for (String bad : new String[] {"", "g", "-1", "1.5", "1.5b", "1x", "1 2", "1e9", "10 gigs",
                "999999999999999t", "0x10"}) {
            assertThat(ByteSizes.parse(bad)).as(bad).isEqualTo(-1);
        }
        assertThatThrownBy(() -> new ByteSizes.Converter().convert("lots"))
                .isInstanceOf(TypeConversionException.class)
                .hasMessage("'lots' is not a size (expected bytes, or a number with k, m, g or t: 500m, 20g, 1.5t; "
                        + "binary, as docker's --keep-storage)");
    }
}
