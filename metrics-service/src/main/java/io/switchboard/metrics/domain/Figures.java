package io.switchboard.metrics.domain;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Rounding shared by every figure: two decimals, half up; a ratio over nothing is null, not zero. */
public final class Figures {

    private Figures() {
    }

    public static BigDecimal ratio(long numerator, long denominator) {
        return denominator == 0 ? null
                : BigDecimal.valueOf(numerator).divide(BigDecimal.valueOf(denominator), 2, RoundingMode.HALF_UP);
    }

    public static BigDecimal percent(long part, long whole) {
        return whole == 0 ? null
                : BigDecimal.valueOf(part * 100).divide(BigDecimal.valueOf(whole), 2, RoundingMode.HALF_UP);
    }

    /** An average duration in seconds from a sum of microseconds. */
    public static BigDecimal seconds(long micros, long count) {
        return count == 0 ? null
                : BigDecimal.valueOf(micros).divide(BigDecimal.valueOf(count * 1_000_000L), 2, RoundingMode.HALF_UP);
    }
}
