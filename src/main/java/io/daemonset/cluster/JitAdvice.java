package io.daemonset.cluster;

import java.util.Optional;

/**
 * Whether to tell the operator, at start, that this JVM compiles with both tiers on a machine too small for it. On two
 * cores the C2 compiler's threads took a third to a half of a cold server's CPU, and every benchmark measured ran
 * faster with C1 alone ({@code -XX:TieredStopAtLevel=1}: docs/performance.md, "The JIT on two cores"). The container
 * image sets it; a plain {@code java -jar} cannot, since a jar does not choose its JVM's flags.
 */
final class JitAdvice {
  /** Up to this many processors, C2's compile work costs more than its faster code saves over a server's life. */
  static final int SMALL_MACHINE_CPUS = 2;

  private JitAdvice() {}

  /** Pure: the line to print, if any. */
  static Optional<String> of(int availableProcessors, boolean c2Runs) {
    if (!c2Runs || availableProcessors > SMALL_MACHINE_CPUS) {
      return Optional.empty();
    }
    return Optional.of("JIT: both compiler tiers on " + availableProcessors + " CPU" + (availableProcessors == 1 ? "" : "s")
        + "; -XX:TieredStopAtLevel=1 after `java` (C1 alone, as the container image runs) cut CPU per request by a"
        + " third to a half on two cores (docs/performance.md)");
  }
}
