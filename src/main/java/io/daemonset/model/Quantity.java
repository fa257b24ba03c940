package io.daemonset.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.math.BigDecimal;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Kubernetes resource quantity ("100m", "200Mi", "1Gi", "0.5", "1e3"), parsed exactly into a BigDecimal.
 * The text is kept as written so objects round-trip byte for byte; comparisons use the exact value.
 */
public final class Quantity implements Comparable<Quantity> {
  private static final Pattern GRAMMAR =
      Pattern.compile("^([+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+))(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?[0-9]+)?$");
  private static final Map<String, BigDecimal> SUFFIXES = Map.ofEntries(
      Map.entry("Ki", BigDecimal.valueOf(1L << 10)),
      Map.entry("Mi", BigDecimal.valueOf(1L << 20)),
      Map.entry("Gi", BigDecimal.valueOf(1L << 30)),
      Map.entry("Ti", BigDecimal.valueOf(1L << 40)),
      Map.entry("Pi", BigDecimal.valueOf(1L << 50)),
      Map.entry("Ei", BigDecimal.valueOf(1L << 60)),
      Map.entry("n", new BigDecimal("1e-9")),
      Map.entry("u", new BigDecimal("1e-6")),
      Map.entry("m", new BigDecimal("1e-3")),
      Map.entry("k", new BigDecimal("1e3")),
      Map.entry("M", new BigDecimal("1e6")),
      Map.entry("G", new BigDecimal("1e9")),
      Map.entry("T", new BigDecimal("1e12")),
      Map.entry("P", new BigDecimal("1e15")),
      Map.entry("E", new BigDecimal("1e18")));

  private final String text;
  private final BigDecimal value;

  private Quantity(String text, BigDecimal value) {
    this.text = text;
    this.value = value;
  }

  /** @throws IllegalArgumentException with upstream's message when the text is not a quantity */
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public static Quantity parse(String text) {
    String trimmed = text == null ? "" : text.trim();
    Matcher m = GRAMMAR.matcher(trimmed);
    if (!m.matches()) {
      throw new IllegalArgumentException("quantities must match the regular expression "
          + "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
    }
    BigDecimal number = new BigDecimal(m.group(1).endsWith(".") ? m.group(1) + "0" : m.group(1));
    String suffix = m.group(2);
    BigDecimal multiplier;
    if (suffix == null) {
      multiplier = BigDecimal.ONE;
    } else if (suffix.startsWith("e") || suffix.startsWith("E")) {
      multiplier = BigDecimal.ONE.scaleByPowerOfTen(Integer.parseInt(suffix.substring(1)));
    } else {
      multiplier = SUFFIXES.get(suffix);
    }
    return new Quantity(trimmed, number.multiply(multiplier));
  }

  /** A quantity from an exact value, written as a plain number (or milli-units when fractional). */
  public static Quantity of(BigDecimal value) {
    BigDecimal stripped = value.stripTrailingZeros();
    if (stripped.scale() <= 0) {
      return new Quantity(stripped.toBigInteger().toString(), value);
    }
    BigDecimal milli = stripped.movePointRight(3);
    if (milli.stripTrailingZeros().scale() <= 0) {
      return new Quantity(milli.toBigInteger() + "m", value);
    }
    return new Quantity(stripped.toPlainString(), value);
  }

  public BigDecimal value() {
    return value;
  }

  public boolean isNegative() {
    return value.signum() < 0;
  }

  public Quantity plus(Quantity other) {
    return of(value.add(other.value));
  }

  public Quantity minus(Quantity other) {
    return of(value.subtract(other.value));
  }

  @JsonValue
  @Override
  public String toString() {
    return text;
  }

  @Override
  public int compareTo(Quantity o) {
    return value.compareTo(o.value);
  }

  /** Equal when the amounts are equal: "1Gi" equals "1024Mi". */
  @Override
  public boolean equals(Object o) {
    return o instanceof Quantity q && value.compareTo(q.value) == 0;
  }

  @Override
  public int hashCode() {
    return value.stripTrailingZeros().hashCode();
  }
}
