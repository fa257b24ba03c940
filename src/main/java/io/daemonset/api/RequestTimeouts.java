package io.daemonset.api;

import static org.apache.pekko.http.javadsl.server.Directives.mapRouteResultFuture;
import static org.apache.pekko.http.javadsl.server.Directives.withoutRequestTimeout;

import com.typesafe.config.Config;
import io.daemonset.model.Futures;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.TimeoutAccess;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.server.RouteResult;
import org.apache.pekko.http.javadsl.server.RouteResults;

/**
 * The request timeout on both protocols. pekko-http 1.3 times a request out on HTTP/1.1 only, through the
 * {@code Timeout-Access} header it adds to each (its timeout directives log a warning per request without one): an
 * HTTP/2 request (offered by ALPN, {@link ApiServer}) carries none and would wait for its answer for ever. Here the
 * same answer after the same {@code pekko.http.server.request-timeout}, taken from the route's result: a response
 * whose head is ready in time is never cut, whatever its entity streams afterwards (a watch, {@code logs -f}).
 */
public final class RequestTimeouts {
  private RequestTimeouts() {
  }

  /** pekko-http's own timer runs for this request (HTTP/1.1). */
  public static boolean timedByServer(HttpRequest request) {
    return request.getHeader(TimeoutAccess.class).isPresent();
  }

  /** {@code pekko.http.server.request-timeout}; empty when it is {@code infinite} or {@code off}. */
  static Optional<Duration> configured(Config config) {
    String path = "pekko.http.server.request-timeout";
    String text = config.getString(path).trim().toLowerCase(java.util.Locale.ROOT);
    return text.equals("infinite") || text.equals("inf") || text.equals("off") ? Optional.empty()
        : Optional.of(config.getDuration(path));
  }

  /** inner, answered with answer when its result is not there within timeout (the result that comes later is dropped). */
  static Route within(Duration timeout, HttpResponse answer, Supplier<Route> inner) {
    RouteResult timedOut = RouteResults.complete(answer);
    long millis = timeout.toMillis();
    // Futures.plain: the route's result is a Scala-converted stage, whose plain stages would each start a thread
    return mapRouteResultFuture(result -> Futures.plain(result).completeOnTimeout(timedOut, millis,
        TimeUnit.MILLISECONDS), inner);
  }

  /** pekko-http's {@code withoutRequestTimeout} where its timer runs, inner alone where none does (no warning). */
  public static Route without(HttpRequest request, Supplier<Route> inner) {
    return timedByServer(request) ? withoutRequestTimeout(inner) : inner.get();
  }
}
