package io.daemonset.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/** Keeps Pekko's and logback's default DEBUG output out of test logs, without a shared logback-test.xml. */
public final class TestLogging {
  private TestLogging() {}

  /** INFO and above. */
  public static void quiet() {
    rootLevel(Level.INFO);
  }

  /** Warnings and errors only: for tests that start a whole control plane. */
  public static void warningsOnly() {
    rootLevel(Level.WARN);
  }

  private static void rootLevel(Level level) {
    if (LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof Logger root) {
      root.setLevel(level);
    }
  }
}
