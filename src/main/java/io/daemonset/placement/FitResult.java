package io.daemonset.placement;

import java.util.List;

/**
 * Whether a pod fits a node, and if not, why, in the scheduler's words ({@code Insufficient cpu},
 * {@code Insufficient memory}, {@code Too many pods}).
 *
 * <p>Invariant: fits exactly when insufficient is empty.
 */
public record FitResult(boolean fits, List<String> insufficient) {

  public static final FitResult FITS = new FitResult(true, List.of());

  public FitResult {
    insufficient = List.copyOf(insufficient);
    if (fits != insufficient.isEmpty()) {
      throw new IllegalArgumentException("fits must hold exactly when nothing is insufficient");
    }
  }

  static FitResult of(List<String> insufficient) {
    return insufficient.isEmpty() ? FITS : new FitResult(false, insufficient);
  }
}
