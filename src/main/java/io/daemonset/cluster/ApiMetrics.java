package io.daemonset.cluster;

import static org.apache.pekko.http.javadsl.server.Directives.extractRequest;
import static org.apache.pekko.http.javadsl.server.Directives.mapResponse;

import io.daemonset.api.ApiDirectives;
import io.daemonset.api.RequestAttributes;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * API request meters, as kube-apiserver names them: {@code apiserver_request_total{verb,resource,code}} and
 * {@code apiserver_request_duration_seconds{verb,resource}} (a histogram; watches are counted, not timed, since
 * their length is the client's choice). Wraps the routes behind authentication, so a 401 or 403 is not counted.
 */
public final class ApiMetrics {
  /**
   * The meters by their tags, looked up once: the registry's own lookup (a Meter.Id built, its tags sorted and hashed)
   * was 1.5 % of a converge's CPU samples, for a handful of distinct meters. Meters of the global (composite) registry
   * follow registries added to it later.
   */
  private static final Map<CounterKey, Counter> COUNTERS = new ConcurrentHashMap<>();
  private static final Map<TimerKey, Timer> TIMERS = new ConcurrentHashMap<>();

  private record CounterKey(String verb, String resource, int code) {}

  private record TimerKey(String verb, String resource) {}

  private ApiMetrics() {}

  public static Route measured(Route inner) {
    return extractRequest(request -> {
      long start = System.nanoTime();
      RequestAttributes attributes = request.getAttribute(ApiDirectives.REQUEST).orElse(null);
      String verb = attributes == null ? request.method().value().toLowerCase(java.util.Locale.ROOT) : attributes.verb();
      String resource = attributes == null || !attributes.resourceRequest() ? ""
          : attributes.subresource().isEmpty() ? attributes.resource()
          : attributes.resource() + "/" + attributes.subresource();
      return mapResponse(response -> {
        COUNTERS.computeIfAbsent(new CounterKey(verb, resource, response.status().intValue()),
            k -> Metrics.counter("apiserver.request", "verb", k.verb(), "resource", k.resource(), "code",
                String.valueOf(k.code()))).increment();
        if (!verb.equals("watch")) {
          TIMERS.computeIfAbsent(new TimerKey(verb, resource),
              k -> Timer.builder("apiserver.request.duration").tags("verb", k.verb(), "resource", k.resource())
                  .publishPercentileHistogram().register(Metrics.globalRegistry))
              .record(Duration.ofNanos(System.nanoTime() - start));
        }
        return response;
      }, () -> inner);
    });
  }
}
