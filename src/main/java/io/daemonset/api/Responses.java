package io.daemonset.api;

import io.daemonset.model.Json;
import io.daemonset.model.Status;
import io.daemonset.model.Table;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;

/**
 * Response building and content negotiation the Kubernetes way: JSON bodies, Status for every failure, Table
 * when the Accept header asks for {@code application/json;as=Table;v=v1;g=meta.k8s.io}, aggregated discovery
 * when it asks for {@code application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList}.
 */
public final class Responses {
  public static final ContentType JSON = ContentTypes.APPLICATION_JSON;
  public static final ContentType TABLE = ContentTypes.parse("application/json;as=Table;v=v1;g=meta.k8s.io");
  public static final ContentType TEXT = ContentTypes.TEXT_PLAIN_UTF8;

  /** One media range of an Accept header: "application/json" plus its parameters (lower-case names). */
  public record MediaRange(String type, Map<String, String> params) {
    public String param(String name) {
      return params.getOrDefault(name, "");
    }
  }

  private Responses() {}

  /** A JSON response of any serialisable value (model records, JsonNodes). */
  public static HttpResponse json(int code, Object body) {
    return json(code, body, JSON);
  }

  /** Written as UTF-8 bytes in one pass (not a String first, then its bytes: two copies of every answer). */
  public static HttpResponse json(int code, Object body, ContentType contentType) {
    return HttpResponse.create().withStatus(StatusCodes.get(code)).withEntity(contentType, Json.writeBytes(body));
  }

  /** The Status as the response, its code as the HTTP status. */
  public static HttpResponse status(Status status) {
    return json(status.code() == null ? 500 : status.code(), status);
  }

  public static HttpResponse status(ApiException e) {
    return status(e.status());
  }

  /** A Table, with the content type kube-apiserver uses for it. */
  public static HttpResponse table(Table table) {
    return json(200, table, TABLE);
  }

  /** Parses an Accept header into media ranges, in the order given (kubectl lists its preference first). */
  public static List<MediaRange> parseAccept(String accept) {
    List<MediaRange> ranges = new ArrayList<>();
    if (accept == null) {
      return ranges;
    }
    for (String part : accept.split(",")) {
      String[] pieces = part.split(";");
      String type = pieces[0].trim().toLowerCase(Locale.ROOT);
      if (type.isEmpty()) {
        continue;
      }
      Map<String, String> params = new LinkedHashMap<>();
      for (int i = 1; i < pieces.length; i++) {
        int eq = pieces[i].indexOf('=');
        if (eq > 0) {
          params.put(pieces[i].substring(0, eq).trim().toLowerCase(Locale.ROOT),
              pieces[i].substring(eq + 1).trim().replace("\"", ""));
        }
      }
      ranges.add(new MediaRange(type, params));
    }
    return ranges;
  }

  /** True when the client would take a meta.k8s.io Table (v1 or v1beta1) as JSON. */
  public static boolean wantsTable(String accept) {
    for (MediaRange range : parseAccept(accept)) {
      if (range.type().equals("application/json") && range.param("as").equals("Table")
          && range.param("g").equals("meta.k8s.io")
          && (range.param("v").equals("v1") || range.param("v").equals("v1beta1"))) {
        return true;
      }
    }
    return false;
  }

  public static boolean wantsTable(HttpRequest request) {
    return wantsTable(accept(request));
  }

  /** "v2" or "v2beta1" when the client asks for aggregated discovery, in its order of preference. */
  public static Optional<String> aggregatedDiscoveryVersion(String accept) {
    for (MediaRange range : parseAccept(accept)) {
      if (range.type().equals("application/json") && range.param("g").equals("apidiscovery.k8s.io")
          && range.param("as").equals("APIGroupDiscoveryList")
          && (range.param("v").equals("v2") || range.param("v").equals("v2beta1"))) {
        return Optional.of(range.param("v"));
      }
    }
    return Optional.empty();
  }

  public static ContentType aggregatedDiscoveryContentType(String version) {
    return ContentTypes.parse("application/json;g=apidiscovery.k8s.io;v=" + version + ";as=APIGroupDiscoveryList");
  }

  /** The raw Accept header, or "" when absent. */
  public static String accept(HttpRequest request) {
    return request.getHeader("Accept").map(h -> h.value()).orElse("");
  }

  /** The Status reason upstream uses for a bare HTTP code (for errors that arrive without one). */
  static String reasonFor(int code) {
    return switch (code) {
      case 400 -> "BadRequest";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "NotFound";
      case 405 -> "MethodNotAllowed";
      case 406 -> "NotAcceptable";
      case 409 -> "Conflict";
      case 410 -> "Gone";
      case 413 -> "RequestEntityTooLarge";
      case 415 -> "UnsupportedMediaType";
      case 422 -> "Invalid";
      case 429 -> "TooManyRequests";
      case 503 -> "ServiceUnavailable";
      case 504 -> "Timeout";
      default -> code >= 500 ? "InternalError" : "";
    };
  }
}
