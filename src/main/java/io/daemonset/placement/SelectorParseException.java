package io.daemonset.placement;

/**
 * A label or field selector that cannot be parsed or a requirement that is not valid. The message follows
 * upstream's wording ({@code unable to parse requirement: …}, {@code found ',', expected: identifier}) so
 * that kubectl users see what they would see against a real API server; {@link #position()} says where.
 */
public final class SelectorParseException extends RuntimeException {

  private final int position;

  public SelectorParseException(String message, int position) {
    super(position < 0 ? message : message + " (at position " + position + ")");
    this.position = position;
  }

  public SelectorParseException(String message) {
    this(message, -1);
  }

  /** Zero-based offset in the query where the problem starts, or -1 when it is not about one place. */
  public int position() {
    return position;
  }
}
