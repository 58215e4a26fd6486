package dev.tributary.topics;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes the short duration notation of topics files and the command line:
 * {@code 7d}, {@code 12h}, {@code 30m}, {@code 45s}, {@code 500ms}, or a plain number of milliseconds.
 */
final class DurationText {

    private static final Pattern TEXT = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)?");

    private DurationText() {
    }

    /**
     * Parses {@code text}; a number without a unit is milliseconds.
     *
     * @throws IllegalArgumentException with a message that completes "… must be …" for the caller
     */
    static Duration parse(String text) {
        Matcher matcher = TEXT.matcher(text.trim());
        if (!matcher.matches()) {
            throw new IllegalArgumentException(
                    "must be a duration such as 7d, 12h, 30m, 45s, 500ms or a number of milliseconds, got '"
                            + text + "'");
        }
        long amount;
        try {
            amount = Long.parseLong(matcher.group(1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("is too large: '" + text + "'", e);
        }
        String unit = matcher.group(2) == null ? "ms" : matcher.group(2);
        try {
            switch (unit) {
                case "d":
                    return Duration.ofDays(amount);
                case "h":
                    return Duration.ofHours(amount);
                case "m":
                    return Duration.ofMinutes(amount);
                case "s":
                    return Duration.ofSeconds(amount);
                default:
                    return Duration.ofMillis(amount);
            }
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("is too large: '" + text + "'", e);
        }
    }

    /** Whether {@code text} names its unit (the command line insists on one for timeouts). */
    static boolean hasUnit(String text) {
        Matcher matcher = TEXT.matcher(text.trim());
        return matcher.matches() && matcher.group(2) != null;
    }

    /** The shortest exact notation: 604800000 ms is {@code 7d}, 90 s is {@code 90s}. */
    static String format(Duration duration) {
        long millis = duration.toMillis();
        if (millis != 0 && millis % Duration.ofDays(1).toMillis() == 0) {
            return millis / Duration.ofDays(1).toMillis() + "d";
        }
        if (millis != 0 && millis % Duration.ofHours(1).toMillis() == 0) {
            return millis / Duration.ofHours(1).toMillis() + "h";
        }
        if (millis != 0 && millis % Duration.ofMinutes(1).toMillis() == 0) {
            return millis / Duration.ofMinutes(1).toMillis() + "m";
        }
        if (millis != 0 && millis % 1000 == 0) {
            return millis / 1000 + "s";
        }
        return millis + "ms";
    }
}
