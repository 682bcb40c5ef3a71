package io.switchboard.testing.fuzz;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.zone.ZoneOffsetTransition;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * Values a hostile or careless client sends: control characters and NUL, lone surrogates, right-to-left
 * overrides, emoji and combining marks, very long text, numbers at and past every boundary, dates far outside
 * any calendar a database keeps, time zones with odd transitions on their transition days, forged cursors.
 */
public final class HostileInput {

    private static final List<String> ZONES = new ArrayList<>(ZoneId.getAvailableZoneIds());

    static {
        ZONES.sort(String::compareTo);
    }

    private HostileInput() {
    }

    public static String text(Random random) {
        // the characters a database or a JSON encoder chokes on come up most often
        switch (random.nextInt(4)) {
            case 0 -> {
                return random.nextBoolean() ? "Ann\u0000" + random.nextInt(100) : "x\ud800y";
            }
            default -> {
                // any of the others
            }
        }
        return switch (random.nextInt(16)) {
            case 0 -> "";
            case 1 -> "   ";
            case 2 -> "nul\u0000in the middle";
            case 3 -> "lone \ud800 surrogate";
            case 4 -> "\udc00";
            case 5 -> "right\u202eto left";
            case 6 -> "emoji 👩🏽‍💻🧵 and combining e\u0301\u0301\u0301";
            case 7 -> "x".repeat(1 + random.nextInt(20_000));
            case 8 -> "<script>alert(1)</script>";
            case 9 -> "'; DROP TABLE conversations; --";
            case 10 -> "../../../etc/passwd";
            case 11 -> "\t\n\r\u000b\f";
            case 12 -> "%00%ff%";
            case 13 -> "{\"json\":true}";
            case 14 -> "ok " + random.nextInt(1000);
            default -> "text " + UUID.randomUUID();
        };
    }

    /** A number, as JSON text or as a query value. */
    public static String number(Random random) {
        String[] values = {"0", "-1", "1", "5", "100", "101", "2147483647", "2147483648", "-2147483649", "9223372036854775807",
            "9223372036854775808", "1e10", "-1e400", "1.5", "0.0001", "NaN", "-0", "00012", "0x10", "1_000"};
        return values[random.nextInt(values.length)];
    }

    /** A date or instant, well-formed or not, inside or far outside what a database stores. */
    public static String date(Random random) {
        String[] values = {"2026-04-05", "2015-08-14", "2026-12-31", "1970-01-01", "0001-01-01", "9999-12-31", "+300000-01-01",
            "-300000-01-01", "2026-13-40", "2026-02-30", "yesterday", "", "2026-04-05T00:00:00Z", "+300000-01-01T00:00:00Z",
            "-300000-01-01T00:00:00Z", "2026-04-05T25:61:00Z", "1e10", "2099-01-01T00:00:00Z", "2000-01-01T00:00:00+14:00"};
        return values[random.nextInt(values.length)];
    }

    /** Any IANA zone, an offset, or garbage. */
    public static String zone(Random random) {
        return switch (random.nextInt(6)) {
            case 0 -> "+05:07";
            case 1 -> "Mars/Olympus_Mons";
            case 2 -> random.nextBoolean() ? "Australia/Lord_Howe" : "Asia/Pyongyang";
            default -> ZONES.get(random.nextInt(ZONES.size()));
        };
    }

    /** A day on which {@code zone}'s clocks change (from 1970 to 2030), or any day when it has none. */
    public static String transitionDay(Random random, String zone) {
        try {
            List<ZoneOffsetTransition> transitions = new ArrayList<>();
            var rules = ZoneId.of(zone).getRules();
            ZoneOffsetTransition next = rules.nextTransition(LocalDate.of(1970, 1, 1).atStartOfDay(ZoneId.of("UTC")).toInstant());
            while (next != null && next.getInstant().getEpochSecond() < 1_900_000_000L && transitions.size() < 200) {
                transitions.add(next);
                next = rules.nextTransition(next.getInstant());
            }
            if (!transitions.isEmpty()) {
                return transitions.get(random.nextInt(transitions.size())).getDateTimeBefore().toLocalDate().toString();
            }
        } catch (RuntimeException e) {
            // not a zone id
        }
        return date(random);
    }

    /** A list cursor or an event-log cursor, forged or garbage. */
    public static String cursor(Random random) {
        return switch (random.nextInt(8)) {
            case 0 -> encode(Long.MAX_VALUE + "/" + UUID.randomUUID());
            case 1 -> encode(Long.MIN_VALUE + "/" + UUID.randomUUID());
            case 2 -> encode("9000000000000000000/" + UUID.randomUUID());
            case 3 -> encode("-9000000000000000/" + UUID.randomUUID());
            case 4 -> encode("abc/def");
            case 5 -> "v1.zzzzzzzzzzzzz.1";
            case 6 -> "not a cursor";
            default -> encode(random.nextLong() + "/" + UUID.randomUUID());
        };
    }

    private static String encode(String raw) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.US_ASCII));
    }
}
