package io.daemonset.api;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.mapRouteResultFuture;

import com.typesafe.config.Config;
import io.daemonset.auth.Identity;
import io.daemonset.model.Status;
import io.daemonset.model.Status.StatusDetails;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * kube-apiserver's max-in-flight, per user class: node agents (a fleet reconnecting at once) and everyone else
 * (kubectl, controllers) each have their own budget of requests being served, so that one class cannot starve the
 * other. A request beyond its class's budget gets 429 TooManyRequests with Retry-After, as upstream answers.
 * Watches are long-running and not counted (upstream exempts them too).
 */
public final class InFlightLimit {
  public static final int DEFAULT_NODES = 200;
  public static final int DEFAULT_OTHERS = 400;
  static final int RETRY_AFTER_SECONDS = 1;

  private final Semaphore nodes;
  private final Semaphore others;

  public InFlightLimit(int nodes, int others) {
    this.nodes = new Semaphore(nodes);
    this.others = new Semaphore(others);
  }

  /** From {@code daemonset.api.max-in-flight.{nodes,others}} when set, else the defaults. */
  public static InFlightLimit from(Config config) {
    String path = "daemonset.api.max-in-flight";
    int nodes = config.hasPath(path + ".nodes") ? config.getInt(path + ".nodes") : DEFAULT_NODES;
    int others = config.hasPath(path + ".others") ? config.getInt(path + ".others") : DEFAULT_OTHERS;
    return new InFlightLimit(nodes, others);
  }

  /** Node agents: nodes' and bootstrap credentials, and a hollow fleet's (which speaks for many nodes). */
  static boolean isNodeAgent(Identity identity) {
    return identity.groups().contains(Identity.NODES) || identity.groups().contains("system:bootstrappers")
        || identity.user().startsWith(Identity.NODE_USER_PREFIX) || identity.user().equals("system:hollow-fleet");
  }

  Route limit(Identity identity, RequestAttributes request, Supplier<Route> inner) {
    if (request.verb().equals("watch")) {
      return inner.get();
    }
    Semaphore budget = isNodeAgent(identity) ? nodes : others;
    if (!budget.tryAcquire()) {
      return complete(tooManyRequests());
    }
    // the permit is returned when the route's result is there (or it failed)
    return mapRouteResultFuture(result -> result.whenCompleteAsync((r, e) -> budget.release(), Runnable::run),
        () -> {
          try {
            return inner.get();
          } catch (RuntimeException e) {
            budget.release();
            throw e;
          }
        });
  }

  static HttpResponse tooManyRequests() {
    Status status = Status.failure(429, "TooManyRequests", "Too many requests, please try again later.",
        new StatusDetails(null, null, null, null, null, RETRY_AFTER_SECONDS));
    return Responses.status(status).addHeader(RawHeader.create("Retry-After", String.valueOf(RETRY_AFTER_SECONDS)));
  }

  int available(boolean nodeAgents) {
    return (nodeAgents ? nodes : others).availablePermits();
  }
}
