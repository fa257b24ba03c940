package io.daemonset.cluster;

import static org.apache.pekko.http.javadsl.server.Directives.extractRequest;
import static org.apache.pekko.http.javadsl.server.Directives.mapResponse;

import io.daemonset.api.ApiDirectives;
import io.daemonset.api.RequestAttributes;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * API request meters, as kube-apiserver names them: {@code apiserver_request_total{verb,resource,code}} and
 * {@code apiserver_request_duration_seconds{verb,resource}} (a histogram; watches are counted, not timed, since
 * their length is the client's choice). Wraps the routes behind authentication, so a 401 or 403 is not counted.
 */
public final class ApiMetrics {
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
        String code = String.valueOf(response.status().intValue());
        Metrics.counter("apiserver.request", "verb", verb, "resource", resource, "code", code).increment();
        if (!verb.equals("watch")) {
          Timer.builder("apiserver.request.duration").tags("verb", verb, "resource", resource)
              .publishPercentileHistogram().register(Metrics.globalRegistry)
              .record(Duration.ofNanos(System.nanoTime() - start));
        }
        return response;
      }, () -> inner);
    });
  }
}
