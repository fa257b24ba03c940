package io.daemonset.model;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A build's version as releases are counted for version skew: a release is {@code major.minor}; patch versions and
 * qualifiers ({@code -SNAPSHOT}) are the same release. Server members and node agents tolerate one release of skew
 * in either direction (docs/architecture.md, "Version skew"); a different major is never within it.
 *
 * @param version the version as written (what a header or a log line shows)
 */
public record Release(int major, int minor, String version) {
  /** The response header in which the API server names its version, on every answer. */
  public static final String HEADER = "Daemonset-Version";

  /** How another release stands to this one. */
  public enum Skew {
    SAME, ONE_NEWER, ONE_OLDER, BEYOND, UNKNOWN;

    /** Within what this release promises to work with (one release either way). */
    public boolean supported() {
      return this == SAME || this == ONE_NEWER || this == ONE_OLDER;
    }
  }

  private static final Pattern VERSION = Pattern.compile("v?(\\d+)\\.(\\d+)(?:\\.\\d+)?(?:[-+].*)?");

  /** A release from a version such as {@code 0.1.0-SNAPSHOT} or {@code 1.4}; empty when it is none. */
  public static Optional<Release> parse(String version) {
    if (version == null) {
      return Optional.empty();
    }
    Matcher m = VERSION.matcher(version.strip());
    return m.matches()
        ? Optional.of(new Release(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), version.strip()))
        : Optional.empty();
  }

  /**
   * The version this JVM runs: {@code DS_APP_VERSION} when set (what a test or an operator declares), else the
   * jar's Implementation-Version (the build's); empty outside a built jar (tests from classes).
   */
  public static Optional<String> runningVersion() {
    return Optional.ofNullable(System.getenv("DS_APP_VERSION")).filter(v -> !v.isBlank())
        .or(() -> Optional.ofNullable(Release.class.getPackage().getImplementationVersion()));
  }

  /** How {@code other} (a version as another party states it; null when it states none) stands to this release. */
  public Skew skewOf(String other) {
    return parse(other).map(this::skewOf).orElse(Skew.UNKNOWN);
  }

  public Skew skewOf(Release other) {
    if (other.major != major) {
      return Skew.BEYOND;
    }
    int ahead = other.minor - minor;
    return switch (ahead) {
      case 0 -> Skew.SAME;
      case 1 -> Skew.ONE_NEWER;
      case -1 -> Skew.ONE_OLDER;
      default -> Skew.BEYOND;
    };
  }
}
