package io.daemonset.cluster;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.actor.ActorSystem;

/**
 * Pekko Management readiness check ({@code /ready}, configured in daemonset/cluster.conf): ready while the member
 * serves its API with a caught-up view, not while it starts or stops. Pekko's own cluster-membership check (Up or
 * WeaklyUp) is ANDed with it.
 */
public final class ReadinessCheck implements Supplier<CompletionStage<Boolean>> {
  private final ActorSystem system;

  public ReadinessCheck(ActorSystem system) {
    this.system = system;
  }

  @Override
  public CompletionStage<Boolean> get() {
    return CompletableFuture.completedFuture(Readiness.get(system).phase() == Readiness.Phase.SERVING);
  }
}
