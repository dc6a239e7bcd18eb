package dev.jpull.internal.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;

/** README: "A 429 is honoured per endpoint ({@code Retry-After} in seconds or as an HTTP date)". */
class RetryAfterTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    private static String httpDate(Instant at) {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(at.atZone(ZoneOffset.UTC));
    }

    @Test
    void retryAfterIsReadAsSecondsOrAsAnHttpDate() {
        assertThat(RetryAfter.parse("120", NOW)).isEqualTo(Duration.ofSeconds(120));
        assertThat(RetryAfter.parse(" 0 ", NOW)).isEqualTo(Duration.ZERO);
        assertThat(RetryAfter.parse(httpDate(NOW.plusSeconds(90)), NOW)).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void aDateInThePastMeansNowAndHugeValuesAreCappedAtADay() {
        assertThat(RetryAfter.parse(httpDate(NOW.minusSeconds(90)), NOW)).isEqualTo(Duration.ZERO);
        assertThat(RetryAfter.parse("99999999999999999999999", NOW)).isEqualTo(RetryAfter.MAX);
        assertThat(RetryAfter.parse(Long.toString(Long.MAX_VALUE), NOW)).isEqualTo(RetryAfter.MAX);
        assertThat(RetryAfter.parse(httpDate(NOW.plus(Duration.ofDays(400))), NOW)).isEqualTo(RetryAfter.MAX);
    }

    @Test
    void anUnusableRetryAfterIsIgnored() {
        assertThat(RetryAfter.parse(null, NOW)).isNull();
        assertThat(RetryAfter.parse("", NOW)).isNull();
        assertThat(RetryAfter.parse("-5", NOW)).isNull();
        assertThat(RetryAfter.parse("soon", NOW)).isNull();
        assertThat(RetryAfter.parse("1.5", NOW)).isNull();
    }
}
