package io.daemonset.audit;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Times as the audit reads and prints them: RFC 3339, or a duration meaning "that long ago" (90s, 15m, 2h, 3d). */
public final class AuditTimes {
  private static final Pattern AGO = Pattern.compile("(\\d+)(s|m|h|d)");

  private AuditTimes() {}

  /** Parses; throws {@link IllegalArgumentException} with a one-line message. */
  public static Instant parse(String text, Instant now) {
    if (text == null) {
      return null;
    }
    Matcher ago = AGO.matcher(text.trim());
    if (ago.matches()) {
      long n = Long.parseLong(ago.group(1));
      Duration d = switch (ago.group(2)) {
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
      return now.minus(d);
    }
    try {
      return OffsetDateTime.parse(text.trim()).toInstant();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("malformed time '" + text
          + "': expected RFC 3339 (2026-12-02T06:00:00Z) or a duration ago (90s, 15m, 2h, 3d)");
    }
  }

  /** kubectl's age: 45s, 12m, 5h, 3d (and "in 5m" for the future). */
  public static String age(Instant at, Instant now) {
    Duration d = Duration.between(at, now);
    boolean future = d.isNegative();
    long s = Math.abs(d.getSeconds());
    String text = s < 120 ? s + "s" : s < 7200 ? (s / 60) + "m" : s < 172_800 ? (s / 3600) + "h" : (s / 86_400) + "d";
    return future ? "in " + text : text + " ago";
  }
}
