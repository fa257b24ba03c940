package io.daemonset.agent;

import io.daemonset.model.Quantity;
import io.daemonset.model.Taint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parsing of the agent's flag values, in the syntax kubelet uses: {@code --node-labels k=v,k2=v2},
 * {@code --register-with-taints k=v:NoSchedule,k2:NoExecute}, capacities {@code cpu=4,memory=8Gi} and Go-style
 * durations ({@code 10s}, {@code 1m30s}, {@code 250ms}). Every parser throws IllegalArgumentException naming the
 * offending item.
 */
public final class Flags {
  private static final Set<String> EFFECTS = Set.of(Taint.NO_SCHEDULE, Taint.PREFER_NO_SCHEDULE, Taint.NO_EXECUTE);
  private static final Pattern DURATION_PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|ms|s|m|h)");

  private Flags() {}

  /** {@code k=v,k2=v2} (an empty value is allowed: {@code k=}); blank input means no labels. */
  public static Map<String, String> labels(String text) {
    Map<String, String> labels = new LinkedHashMap<>();
    for (String item : items(text)) {
      int eq = item.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("invalid label \"" + item + "\": want key=value");
      }
      String key = item.substring(0, eq).trim();
      String value = item.substring(eq + 1).trim();
      if (labels.put(key, value) != null) {
        throw new IllegalArgumentException("label \"" + key + "\" given twice");
      }
    }
    return labels;
  }

  /** {@code key=value:Effect} or {@code key:Effect}, comma-separated; Effect is NoSchedule, PreferNoSchedule or NoExecute. */
  public static List<Taint> taints(String text) {
    List<Taint> taints = new ArrayList<>();
    for (String item : items(text)) {
      int colon = item.lastIndexOf(':');
      if (colon <= 0) {
        throw new IllegalArgumentException("invalid taint \"" + item + "\": want key=value:Effect or key:Effect");
      }
      String effect = item.substring(colon + 1).trim();
      if (!EFFECTS.contains(effect)) {
        throw new IllegalArgumentException("invalid taint effect \"" + effect + "\" in \"" + item
            + "\": want NoSchedule, PreferNoSchedule or NoExecute");
      }
      String keyValue = item.substring(0, colon);
      int eq = keyValue.indexOf('=');
      String key = (eq < 0 ? keyValue : keyValue.substring(0, eq)).trim();
      String value = eq < 0 ? null : keyValue.substring(eq + 1).trim();
      if (key.isEmpty()) {
        throw new IllegalArgumentException("invalid taint \"" + item + "\": empty key");
      }
      taints.add(Taint.of(key, value, effect));
    }
    return taints;
  }

  /** {@code cpu=4,memory=8Gi,pods=110}: resource names to quantities. */
  public static Map<String, Quantity> capacity(String text) {
    Map<String, Quantity> capacity = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : labels(text).entrySet()) {
      try {
        capacity.put(e.getKey(), Quantity.parse(e.getValue()));
      } catch (IllegalArgumentException ex) {
        throw new IllegalArgumentException("invalid quantity for " + e.getKey() + ": \"" + e.getValue() + "\"", ex);
      }
    }
    return capacity;
  }

  /**
   * A Go duration ({@code 10s}, {@code 1m30s}, {@code 1.5h}, {@code 250ms}), an ISO-8601 one ({@code PT10S}), or a
   * bare number of seconds.
   */
  public static Duration duration(String text) {
    String t = text == null ? "" : text.trim();
    if (t.isEmpty()) {
      throw new IllegalArgumentException("empty duration");
    }
    if (t.startsWith("P") || t.startsWith("p")) {
      return Duration.parse(t);
    }
    if (t.matches("\\d+")) {
      return Duration.ofSeconds(Long.parseLong(t));
    }
    Matcher m = DURATION_PART.matcher(t);
    int end = 0;
    double nanos = 0;
    while (m.find()) {
      if (m.start() != end) {
        break;
      }
      end = m.end();
      nanos += Double.parseDouble(m.group(1)) * unitNanos(m.group(2));
    }
    if (end != t.length() || end == 0) {
      throw new IllegalArgumentException("invalid duration \"" + text + "\": want e.g. 10s, 1m30s, 250ms");
    }
    return Duration.ofNanos(Math.round(nanos));
  }

  /** A duration as Go prints it: 10s, 1m20s, 5m0s, 250ms. */
  public static String format(Duration d) {
    if (d == null) {
      return "0s";
    }
    if (d.compareTo(Duration.ofSeconds(1)) < 0) {
      return d.toMillis() + "ms";
    }
    long seconds = d.toSeconds();
    long h = seconds / 3600;
    long m = (seconds % 3600) / 60;
    long s = seconds % 60;
    int millis = d.toMillisPart();
    String sec = millis == 0 ? s + "s" : String.format(java.util.Locale.ROOT, "%d.%03ds", s, millis).replaceAll("0+s$", "s");
    return (h > 0 ? h + "h" + m + "m" : m > 0 ? m + "m" : "") + sec;
  }

  /** A fraction in [0, 1]. */
  public static double fraction(String name, double value) {
    if (!(value >= 0 && value <= 1)) {
      throw new IllegalArgumentException(name + " must be between 0 and 1, not " + value);
    }
    return value;
  }

  private static long unitNanos(String unit) {
    return switch (unit) {
      case "ns" -> 1L;
      case "us" -> 1_000L;
      case "ms" -> 1_000_000L;
      case "s" -> 1_000_000_000L;
      case "m" -> 60_000_000_000L;
      default -> 3_600_000_000_000L;
    };
  }

  private static List<String> items(String text) {
    List<String> items = new ArrayList<>();
    if (text == null) {
      return items;
    }
    for (String raw : text.split(",")) {
      String item = raw.trim();
      if (!item.isEmpty()) {
        items.add(item);
      }
    }
    return items;
  }
}
