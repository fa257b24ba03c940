package io.daemonset.journal;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * The common shape of a time on the wire and in the journal, {@code 2026-12-03T07:15:00Z} with an optional fraction of
 * one to nine digits, read and written without {@link java.time.format.DateTimeFormatter}: its parser (a context, a
 * map of parsed fields, a resolver per call) was 3% of a converge's CPU, every pod status carrying several times.
 * Anything else (an offset, a lowercase z, a year beyond 9999, a leap second) is left to the JDK's formatter by the
 * caller: {@link #parse} answers null for it, {@link #formatSeconds} falls back to {@link Instant#toString()}.
 */
public final class Rfc3339 {
  /** 0000-01-01 and 9999-12-31 as epoch days: the years written by hand. */
  private static final long FIRST_DAY = -719_528;
  private static final long LAST_DAY = 2_932_896;
  private static final int[] SCALE = {0, 100_000_000, 10_000_000, 1_000_000, 100_000, 10_000, 1_000, 100, 10, 1};
  /** "00" to "99", two ASCII digits per value. */
  private static final byte[] PAIRS = new byte[200];

  static {
    for (int i = 0; i < 100; i++) {
      PAIRS[2 * i] = (byte) ('0' + i / 10);
      PAIRS[2 * i + 1] = (byte) ('0' + i % 10);
    }
  }

  private Rfc3339() {}

  /** The instant of {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z}; null for any other text, valid or not. */
  public static Instant parse(String s) {
    int n = s.length();
    if (n < 20 || n > 30 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':'
        || s.charAt(16) != ':' || s.charAt(n - 1) != 'Z') {
      return null;
    }
    int year = digits(s, 0, 4);
    int month = digits(s, 5, 2);
    int day = digits(s, 8, 2);
    int hour = digits(s, 11, 2);
    int minute = digits(s, 14, 2);
    int second = digits(s, 17, 2);
    if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59
        || second < 0 || second > 59 || day > java.time.Month.of(month).length(java.time.Year.isLeap(year))) {
      return null;
    }
    int nanos = 0;
    if (n > 20) {
      int fraction = n - 21;
      if (s.charAt(19) != '.' || fraction < 1 || fraction > 9) {
        return null;
      }
      int value = digits(s, 20, fraction);
      if (value < 0) {
        return null;
      }
      nanos = value * SCALE[fraction];
    }
    long epochDay = java.time.LocalDate.of(year, month, day).toEpochDay();
    return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3_600L + minute * 60L + second, nanos);
  }

  /**
   * The instant truncated to the second, as {@code value.truncatedTo(SECONDS).toString()} writes it
   * ({@code yyyy-MM-ddTHH:mm:ssZ} for the years 0 to 9999).
   */
  public static String formatSeconds(Instant value) {
    byte[] c = secondsText(value, 0);
    return c == null ? value.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString()
        : new String(c, StandardCharsets.ISO_8859_1);
  }

  /**
   * The instant as {@link Instant#toString()} writes it: the fraction in groups of three digits, as many as it needs
   * (none for a whole second), for the years 0 to 9999 ({@link Instant#toString()} itself for any other).
   */
  public static String format(Instant value) {
    byte[] c = formatBytes(value);
    return c == null ? value.toString() : new String(c, StandardCharsets.ISO_8859_1);
  }

  /**
   * {@link #format}'s text as ASCII bytes, for a writer that takes bytes (Jackson's UTF-8 generator: no String made
   * and read back char by char); null beyond the years 0 to 9999.
   */
  public static byte[] formatBytes(Instant value) {
    int nanos = value.getNano();
    int digits = nanos == 0 ? 0 : nanos % 1_000_000 == 0 ? 3 : nanos % 1_000 == 0 ? 6 : 9;
    byte[] c = secondsText(value, digits == 0 ? 0 : digits + 1);
    if (c == null) {
      return null;
    }
    if (digits > 0) {
      c[19] = '.';
      int millis = nanos / 1_000_000;
      c[20] = (byte) ('0' + millis / 100);
      put2(c, 21, millis % 100);
      if (digits > 3) {
        int micros = nanos / 1_000 % 1_000;
        c[23] = (byte) ('0' + micros / 100);
        put2(c, 24, micros % 100);
      }
      if (digits > 6) {
        int rest = nanos % 1_000;
        c[26] = (byte) ('0' + rest / 100);
        put2(c, 27, rest % 100);
      }
    }
    return c;
  }

  /**
   * {@code yyyy-MM-ddTHH:mm:ss} then {@code room} bytes to fill and a last one for the Z; null beyond the years 0 to
   * 9999. The date by Howard Hinnant's days-to-civil arithmetic and Latin-1 bytes: LocalDateTime's range checks and
   * the String's compression of chars were most of this method's cost, which every instant of every event and
   * every pod served pays.
   */
  private static byte[] secondsText(Instant value, int room) {
    long epochSecond = value.getEpochSecond();
    long epochDay = Math.floorDiv(epochSecond, 86_400);
    if (epochDay < FIRST_DAY || epochDay > LAST_DAY) { // also keeps Instant.MIN and MAX out of the arithmetic
      return null;
    }
    int secondOfDay = (int) Math.floorMod(epochSecond, 86_400);
    long z = epochDay + 719_468; // days since 0000-03-01
    long era = Math.floorDiv(z, 146_097);
    int dayOfEra = (int) (z - era * 146_097);
    int yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
    int dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100); // from March 1st
    int shiftedMonth = (5 * dayOfYear + 2) / 153;
    int day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1;
    int month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9;
    int year = (int) (yearOfEra + era * 400) + (month <= 2 ? 1 : 0);
    byte[] c = new byte[20 + room];
    put2(c, 0, year / 100);
    put2(c, 2, year % 100);
    c[4] = '-';
    put2(c, 5, month);
    c[7] = '-';
    put2(c, 8, day);
    c[10] = 'T';
    int minuteOfDay = secondOfDay / 60;
    put2(c, 11, minuteOfDay / 60);
    c[13] = ':';
    put2(c, 14, minuteOfDay % 60);
    c[16] = ':';
    put2(c, 17, secondOfDay - minuteOfDay * 60);
    c[19 + room] = 'Z';
    return c;
  }

  /** The decimal value of count ASCII digits at from; -1 if any is not a digit. */
  private static int digits(String s, int from, int count) {
    int value = 0;
    for (int i = from; i < from + count; i++) {
      char ch = s.charAt(i);
      if (ch < '0' || ch > '9') {
        return -1;
      }
      value = value * 10 + (ch - '0');
    }
    return value;
  }

  /**
   * Two digits of value (0 to 99) at {@code at}, from a table: a digit at a time was two integer divisions each, which
   * the C1 compiler (the benchmarks' and small machines' JIT) does not turn into multiplications; with twenty digits
   * per instant and several instants per event, formatting was ~5 % of a write-bound journal's CPU samples
   * (docs/performance.md, "fmt9").
   */
  private static void put2(byte[] c, int at, int value) {
    c[at] = PAIRS[2 * value];
    c[at + 1] = PAIRS[2 * value + 1];
  }
}
