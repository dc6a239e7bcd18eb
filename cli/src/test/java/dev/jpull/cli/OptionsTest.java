package dev.jpull.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jpull.cli.command.PullCommand;
import dev.jpull.cli.option.ByteRates;
import dev.jpull.cli.option.CommonOptions;
import dev.jpull.cli.option.DurationConverter;
import dev.jpull.cli.option.OutputFormat;
import dev.jpull.cli.option.PlatformConverter;
import dev.jpull.ConfigWarning;
import dev.jpull.Timeouts;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine;

class OptionsTest {

    private static PullCommand parse(String... args) {
        return CommandLine.populateCommand(new PullCommand(), args);
    }

    @Test
    void defaultsMatchTheLibraryDefaults() {
        PullCommand cmd = parse("alpine");

        assertThat(cmd.options.timeouts()).isEqualTo(Timeouts.DEFAULTS);
        assertThat(cmd.options.formatOption.output).isEqualTo(OutputFormat.TEXT);
        assertThat(cmd.options.platform).isNull();
        assertThat(cmd.options.disableDefaultEndpoint).isFalse();
        assertThat(cmd.image).isEqualTo("alpine");
    }

    @Test
    void everyOptionIsParsed() {
        PullCommand cmd = parse("-c", "r.yaml", "--store", "s", "--platform", "linux/arm/v7", "-o", "json",
                "--disable-default-endpoint", "--connect-timeout", "500ms", "--header-timeout", "1m",
                "--read-timeout", "2s", "--tls-timeout", "3s", "--speed-limit", "64KiB", "--speed-time", "5s",
                "--debug", "alpine");

        assertThat(cmd.options.configOption.config).isEqualTo(Path.of("r.yaml"));
        assertThat(cmd.options.storeOption.store).isEqualTo(Path.of("s"));
        assertThat(cmd.options.platform).isEqualTo("linux/arm/v7");
        assertThat(cmd.options.formatOption.output).isEqualTo(OutputFormat.JSON);
        assertThat(cmd.options.disableDefaultEndpoint).isTrue();
        assertThat(cmd.options.debug).isTrue();
        assertThat(cmd.options.timeouts()).isEqualTo(new Timeouts(Duration.ofMillis(500),
                Duration.ofSeconds(3), Duration.ofMinutes(1), Duration.ofSeconds(2), 64 * 1024, Duration.ofSeconds(5)));
    }

    @Test
    void theLowSpeedLimitDefaultsToOneKibPerSecondForThirtySecondsAndZeroTurnsItOff() {
        Timeouts defaults = parse("alpine").options.timeouts();
        assertThat(defaults.speedLimit()).isEqualTo(1024);
        assertThat(defaults.speedTime()).isEqualTo(Duration.ofSeconds(30));
        assertThat(defaults.lowSpeedLimited()).isTrue();
        assertThat(parse("--speed-limit", "0", "alpine").options.timeouts().lowSpeedLimited()).isFalse();
        assertThat(parse("--speed-time", "0", "alpine").options.timeouts().lowSpeedLimited()).isFalse();
        assertThat(parse("--speed-limit", "2048", "pull-me").options.speedLimit).isEqualTo(2048);
    }

    @Test
    void byteRatesArePlainIntegersOrBinaryMultiples() {
        ByteRates.Converter c = new ByteRates.Converter();
        assertThat(c.convert("0")).isZero();
        assertThat(c.convert("1500")).isEqualTo(1500);
        assertThat(c.convert("1k")).isEqualTo(1024);
        assertThat(c.convert("64KiB")).isEqualTo(64 * 1024);
        assertThat(c.convert("2m")).isEqualTo(2 * 1024 * 1024);
        assertThat(c.convert("1MiB")).isEqualTo(1024 * 1024);
        for (String bad : new String[] {"-1", "1.5k", "k", "", "1kb/s", "99999999999999"}) {
            assertThatThrownBy(() -> c.convert(bad)).as(bad).isInstanceOf(TypeConversionException.class)
                    .hasMessageContaining("byte rate");
        }
    }

    @Test
    void aMalformedSpeedLimitIsAUsageError(@org.junit.jupiter.api.io.TempDir Path home) {
        CliRun r = CliRun.run(home, "pull", "--speed-limit", "fast", "127.0.0.1:1/a/b:1");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--speed-limit").contains("'fast' is not a byte rate");
    }

    @Test
    void concurrencyDefaultsToThreeAndMustBePositive(@org.junit.jupiter.api.io.TempDir Path home) {
        assertThat(parse("alpine").concurrency).isEqualTo(3);
        assertThat(parse("--concurrency", "8", "alpine").concurrency).isEqualTo(8);

        CliRun r = CliRun.run(home, "--concurrency", "0", "127.0.0.1:1/a/b:1");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("concurrency 0");
    }

    @Test
    void durationsTakeAUnit() {
        DurationConverter c = new DurationConverter();
        assertThat(c.convert("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(c.convert("0")).isEqualTo(Duration.ZERO);
        assertThatThrownBy(() -> c.convert("5")).isInstanceOf(TypeConversionException.class);
        assertThatThrownBy(() -> c.convert("-1s")).isInstanceOf(TypeConversionException.class);
        assertThatThrownBy(() -> c.convert("PT5S")).isInstanceOf(TypeConversionException.class);
    }

    @Test
    void platformNeedsOsAndArch() {
        PlatformConverter c = new PlatformConverter();
        assertThat(c.convert("linux/amd64")).isEqualTo("linux/amd64");
        assertThatThrownBy(() -> c.convert("amd64")).hasMessageContaining("OS/ARCH");
        assertThatThrownBy(() -> c.convert("linux/arm/v7/x")).isInstanceOf(TypeConversionException.class);
        // as containerd normalises them (issue 12, point 11)
        assertThat(c.convert("Linux/x86_64")).isEqualTo("Linux/x86_64");
        assertThat(c.convert("linux/Aarch64")).isEqualTo("linux/Aarch64");
        assertThat(c.convert("LINUX/ARM64/V8")).isEqualTo("LINUX/ARM64/V8");
        assertThatThrownBy(() -> c.convert("linux/amd 64")).isInstanceOf(TypeConversionException.class);
        assertThatThrownBy(() -> c.convert("")).isInstanceOf(TypeConversionException.class);
    }

    @Test
    void configWarningsNameFileLineAndColumn() {
        assertThat(CommonOptions.warningLine(new ConfigWarning(Path.of("/etc/r.yaml"), 4, 7, "unknown key \"mirorrs\"")))
                .isEqualTo("jpull: warning: /etc/r.yaml:4:7: unknown key \"mirorrs\"");
        assertThat(CommonOptions.warningLine(new ConfigWarning(Path.of("r.yaml"), 0, 0, "empty file")))
                .isEqualTo("jpull: warning: r.yaml: empty file");
    }
}
