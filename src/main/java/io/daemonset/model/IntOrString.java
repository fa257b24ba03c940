package io.daemonset.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Objects;

/**
 * An int or a string such as "10%" (maxUnavailable, maxSurge, probe ports). Kept as written so that it
 * round-trips exactly; a string that is not a percentage is only meaningful as a named port.
 */
public final class IntOrString {
  private static final java.util.regex.Pattern PERCENT = java.util.regex.Pattern.compile("^[0-9]+%$");
  private final Integer intValue;
  private final String stringValue;

  private IntOrString(Integer intValue, String stringValue) {
    this.intValue = intValue;
    this.stringValue = stringValue;
  }

  public static IntOrString of(int value) {
    return new IntOrString(value, null);
  }

  public static IntOrString of(String value) {
    return new IntOrString(null, Objects.requireNonNull(value));
  }

  /** As Go's intstr does: a JSON int32 or a JSON string; a float, a bool or an object is a decoding error. */
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  static IntOrString fromJson(Object value) {
    if (value instanceof Integer i) {
      return of(i);
    }
    if (value instanceof String s) {
      return of(s);
    }
    throw new IllegalArgumentException("must be an integer or a string, not " + value);
  }

  @JsonValue
  Object jsonValue() {
    return intValue != null ? intValue : stringValue;
  }

  public boolean isInt() {
    return intValue != null;
  }

  public int intValue() {
    if (intValue == null) {
      throw new IllegalStateException("not an int: " + stringValue);
    }
    return intValue;
  }

  public String stringValue() {
    return stringValue;
  }

  public boolean isPercent() {
    return stringValue != null && stringValue.endsWith("%");
  }

  /**
   * The percentage as a number, or empty if this is not a well-formed "N%" (upstream's IsValidPercent:
   * {@code ^[0-9]+%$}, so "+5%", "-5%" and "5.5%" are not percentages).
   */
  public java.util.OptionalInt percent() {
    if (stringValue == null || !PERCENT.matcher(stringValue).matches()) {
      return java.util.OptionalInt.empty();
    }
    try {
      return java.util.OptionalInt.of(Integer.parseInt(stringValue.substring(0, stringValue.length() - 1)));
    } catch (NumberFormatException e) {
      return java.util.OptionalInt.empty(); // more digits than an int holds
    }
  }

  /**
   * upstream intstr.GetScaledValueFromIntOrPercent: an int as is, a percent of total rounded up or down.
   *
   * @throws IllegalArgumentException for a string that is not a percentage
   */
  public int scaledValue(int total, boolean roundUp) {
    if (intValue != null) {
      return intValue;
    }
    int pct = percent().orElseThrow(() -> new IllegalArgumentException("invalid value for IntOrString: " + stringValue));
    long product = (long) pct * total;
    return (int) (roundUp ? -Math.floorDiv(-product, 100L) : Math.floorDiv(product, 100L));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IntOrString other
        && Objects.equals(intValue, other.intValue) && Objects.equals(stringValue, other.stringValue);
  }

  @Override
  public int hashCode() {
    return Objects.hash(intValue, stringValue);
  }

  @Override
  public String toString() {
    return String.valueOf(jsonValue());
  }
}
