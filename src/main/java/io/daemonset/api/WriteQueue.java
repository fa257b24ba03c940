package io.daemonset.api;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Read-modify-writes of one object from this JVM, one after another: each starts once the previous one has been
 * answered (so after this JVM's view has applied it), reads the object it left and does not conflict with it.
 * Twenty concurrent {@code kubectl annotate} then cost twenty writes rather than two hundred lost races; writes
 * from elsewhere (another JVM, the controller, a node's agent) are still caught by {@link ConflictRetry}.
 * Keys are forgotten as soon as their queue is empty.
 */
final class WriteQueue {
  private final ConcurrentHashMap<String, CompletableFuture<Void>> tails = new ConcurrentHashMap<>();

  <T> CompletionStage<T> after(String key, Supplier<CompletionStage<T>> write) {
    CompletableFuture<Void> mine = new CompletableFuture<>();
    CompletableFuture<Void> before = tails.put(key, mine);
    CompletableFuture<T> result = (before == null ? CompletableFuture.<Void>completedFuture(null) : before)
        .thenCompose(ignored -> write.get());
    result.whenComplete((value, failure) -> {
      tails.remove(key, mine);
      mine.complete(null);
    });
    return result;
  }

  /** How many objects have a write in progress (for tests). */
  int busy() {
    return tails.size();
  }
}
