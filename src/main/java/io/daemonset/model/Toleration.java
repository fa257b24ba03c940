package io.daemonset.model;

/** operator is Equal (default) or Exists; an empty effect tolerates every effect. */
public record Toleration(String key, String operator, String value, String effect, Long tolerationSeconds) {

  public static Toleration exists(String key, String effect) {
    return new Toleration(key, "Exists", null, effect, null);
  }
}
