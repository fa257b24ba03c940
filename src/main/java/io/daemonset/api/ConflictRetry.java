package io.daemonset.api;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * kube-apiserver's GuaranteedUpdate for writes without a resourceVersion precondition (patches, server-side
 * applies): when the entity refuses because the object changed between the read and the write (a storage
 * conflict), the whole read-modify-write is tried again on the latest object, after a short jittered pause, until
 * it applies or the object has kept changing for {@link #PATIENCE}; only then does the last conflict reach the
 * client. Attempt 0 reads this JVM's view; later attempts read the entity (see {@link Latest}).
 * <p>Never retried: a server-side apply conflict between field managers (the client's to resolve with force), and
 * anything else than 409 Conflict. A request that names a resourceVersion is not given to this at all: its 409 is
 * the answer it asked for.
 */
final class ConflictRetry {
  /** How long an object may keep changing under a patch before the conflict is surfaced. */
  static final Duration PATIENCE = Duration.ofSeconds(10);
  private static final long FIRST_PAUSE_MILLIS = 2;
  private static final long LONGEST_PAUSE_MILLIS = 50;

  /** One daemon thread that waits out the pauses (and starts the next attempt): no thread per retry. */
  private static final ScheduledExecutorService PAUSES = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread thread = new Thread(r, "api-conflict-retry");
    thread.setDaemon(true);
    return thread;
  });

  private ConflictRetry() {}

  static <T> CompletionStage<T> untilApplied(IntFunction<CompletionStage<T>> attempt) {
    return attempt(attempt, System.nanoTime() + PATIENCE.toNanos(), 0);
  }

  private static <T> CompletionStage<T> attempt(IntFunction<CompletionStage<T>> attempt, long deadline, int tried) {
    CompletionStage<T> result;
    try {
      result = attempt.apply(tried);
    } catch (RuntimeException refused) {
      if (tried == 0) {
        throw refused; // the first attempt's refusals are answered as any route's
      }
      return CompletableFuture.failedFuture(refused);
    }
    return result.exceptionallyCompose(failure -> {
      ApiException e = ErrorHandling.toApiException(failure, Long.MAX_VALUE);
      if (!storageConflict(e) || System.nanoTime() > deadline) {
        return CompletableFuture.failedFuture(e);
      }
      CompletableFuture<T> next = new CompletableFuture<>();
      PAUSES.schedule(() -> attempt(attempt, deadline, tried + 1).whenComplete((value, again) -> {
        if (again != null) {
          next.completeExceptionally(again);
        } else {
          next.complete(value);
        }
      }), pause(tried), TimeUnit.MILLISECONDS);
      return next;
    });
  }

  static boolean storageConflict(ApiException e) {
    boolean managerConflict = e.status().details() != null && e.status().details().causes() != null
        && e.status().details().causes().stream().anyMatch(c -> "FieldManagerConflict".equals(c.reason()));
    return e.code() == 409 && "Conflict".equals(e.status().reason()) && !managerConflict;
  }

  /** Exponential from 2 ms to 50 ms, with full jitter so that racing writers spread out. */
  static long pause(int tried) {
    long ceiling = Math.min(LONGEST_PAUSE_MILLIS, FIRST_PAUSE_MILLIS << Math.min(tried, 10));
    return 1 + ThreadLocalRandom.current().nextLong(ceiling);
  }
}
