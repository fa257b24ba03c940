package io.daemonset.model;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Kubernetes resource quantity ("100m", "200Mi", "1Gi", "0.5", "1e3"), parsed exactly into a BigDecimal.
 * The text is kept as written so objects round-trip byte for byte; comparisons use the exact value.
 */
@JsonDeserialize(using = Quantity.Deserializer.class)
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

  private static final String[] BINARY_SUFFIXES = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
  private static final Map<Integer, String> DECIMAL_SUFFIXES = Map.of(
      -9, "n", -6, "u", -3, "m", 0, "", 3, "k", 6, "M", 9, "G", 12, "T", 15, "P", 18, "E");

  /** How upstream writes a quantity back out; chosen by the suffix it was written with. */
  private enum Format { DECIMAL_SI, BINARY_SI, DECIMAL_EXPONENT }

  private final String text;
  private final BigDecimal value;
  private final Format format;

  private Quantity(String text, BigDecimal value, Format format) {
    this.text = text;
    this.value = value;
    this.format = format;
  }

  /** @throws IllegalArgumentException with upstream's message when the text is not a quantity */
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
    Format format = Format.DECIMAL_SI;
    if (suffix == null) {
      multiplier = BigDecimal.ONE;
    } else if (suffix.length() > 1 && (suffix.startsWith("e") || suffix.startsWith("E"))) {
      multiplier = BigDecimal.ONE.scaleByPowerOfTen(Integer.parseInt(suffix.substring(1)));
      format = Format.DECIMAL_EXPONENT;
    } else {
      multiplier = SUFFIXES.get(suffix);
      format = suffix.endsWith("i") ? Format.BINARY_SI : Format.DECIMAL_SI;
    }
    return new Quantity(trimmed, number.multiply(multiplier), format);
  }

  /** A quantity from an exact value, written as a plain number (or milli-units when fractional). */
  public static Quantity of(BigDecimal value) {
    BigDecimal stripped = value.stripTrailingZeros();
    if (stripped.scale() <= 0) {
      return new Quantity(stripped.toBigInteger().toString(), value, Format.DECIMAL_SI);
    }
    BigDecimal milli = stripped.movePointRight(3);
    if (milli.stripTrailingZeros().scale() <= 0) {
      return new Quantity(milli.toBigInteger() + "m", value, Format.DECIMAL_SI);
    }
    return new Quantity(stripped.toPlainString(), value, Format.DECIMAL_SI);
  }

  public BigDecimal value() {
    return value;
  }

  /**
   * Upstream's canonical text (resource.Quantity.String()), which is what kube-apiserver writes back and quotes in
   * its messages: "2000m" is "2", "1.5Gi" is "1536Mi", "0.5" is "500m", "1e3" stays "1e3". Precision finer
   * than nano is rounded up, as upstream does when it parses. Rules: a binary suffix is kept only for integers of
   * at least 1024; otherwise the mantissa is an integer and the exponent a multiple of 3 named by an SI suffix.
   */
  public String canonical() {
    if (value.signum() == 0) {
      return "0";
    }
    BigDecimal v = value.scale() > 9 ? value.setScale(9, java.math.RoundingMode.UP) : value;
    boolean integral = v.stripTrailingZeros().scale() <= 0;
    if (format == Format.BINARY_SI && integral && v.abs().compareTo(BigDecimal.valueOf(1024)) >= 0) {
      java.math.BigInteger n = v.toBigIntegerExact();
      java.math.BigInteger k = java.math.BigInteger.valueOf(1024);
      int power = 0;
      while (power < BINARY_SUFFIXES.length - 1 && n.mod(k).signum() == 0) {
        n = n.divide(k);
        power++;
      }
      return n + BINARY_SUFFIXES[power];
    }
    BigDecimal stripped = v.stripTrailingZeros();
    java.math.BigInteger mantissa = stripped.unscaledValue();
    int exponent = -stripped.scale();
    int down = Math.floorMod(exponent, 3);
    mantissa = mantissa.multiply(java.math.BigInteger.TEN.pow(down));
    exponent -= down;
    if (format == Format.DECIMAL_EXPONENT) {
      return mantissa + (exponent == 0 ? "" : "e" + exponent);
    }
    String suffix = DECIMAL_SUFFIXES.get(exponent);
    return mantissa + (suffix != null ? suffix : "e" + exponent);
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

  /**
   * Manifests write quantities as strings ("100m") or as bare numbers ({@code cpu: 1}, {@code cpu: 0.5}); upstream
   * accepts both. The number's text is taken as written so that "1e3" stays "1e3".
   */
  static final class Deserializer extends StdScalarDeserializer<Quantity> {
    Deserializer() {
      super(Quantity.class);
    }

    @Override
    public Quantity deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      JsonToken t = p.currentToken();
      if (t == JsonToken.VALUE_STRING || t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
        try {
          return parse(p.getText());
        } catch (IllegalArgumentException e) {
          return (Quantity) ctxt.handleWeirdStringValue(Quantity.class, p.getText(), e.getMessage());
        }
      }
      return (Quantity) ctxt.handleUnexpectedToken(Quantity.class, p);
    }
  }
}
