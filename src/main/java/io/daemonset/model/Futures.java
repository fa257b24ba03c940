package io.daemonset.model;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Plain futures from Pekko's. A CompletionStage that Pekko returns (an ask, a stream's materialized value) is Scala's
 * converter, which turns every non-async dependent (thenApply, thenCompose, …) into its *Async form without an
 * executor, i.e. CompletableFuture's default: on a 2-core machine ForkJoinPool.commonPool() has parallelism 1, and
 * the default then starts a new thread per task. Copy such a stage into a plain CompletableFuture first; its
 * dependents run where it completes.
 */
public final class Futures {
  private Futures() {}

  public static <T> CompletableFuture<T> plain(CompletionStage<T> stage) {
    CompletableFuture<T> plain = new CompletableFuture<>();
    // *Async with an explicit executor is the one form Scala's converter does not redirect; Runnable::run keeps it
    // on the completing thread.
    stage.whenCompleteAsync((value, error) -> {
      if (error != null) {
        plain.completeExceptionally(error);
      } else {
        plain.complete(value);
      }
    }, Runnable::run);
    return plain;
  }
}
