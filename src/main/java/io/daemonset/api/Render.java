package io.daemonset.api;

import io.daemonset.model.ControllerRevision;
import io.daemonset.model.DaemonSet;
import io.daemonset.model.KubeList;
import io.daemonset.model.ListMeta;
import io.daemonset.model.Table;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;

/**
 * Objects as a client sees them: in the group-version it asked for (a DaemonSet read through extensions/v1beta1
 * says so), revisions with their data shaped as kubectl compares it ({@link RevisionData}), and as Tables when the
 * client asks for one.
 */
final class Render {
  private Render() {}

  /** The stored object as served to this request. */
  static Object forClient(Object stored, Call call) {
    if (stored instanceof DaemonSet ds) {
      return DaemonSets.toVersion(ds, call.apiVersion());
    }
    if (stored instanceof ControllerRevision revision) {
      return RevisionData.served(revision);
    }
    return stored;
  }

  static List<Object> forClient(List<Object> stored, Call call) {
    List<Object> out = new ArrayList<>(stored.size());
    stored.forEach(o -> out.add(forClient(o, call)));
    return out;
  }

  /** One object, or a one-row Table when the client asks for Tables (kubectl get NAME). */
  static HttpResponse object(Call call, int code, Object stored, Instant now, List<String> warnings) {
    Object served = forClient(stored, call);
    HttpResponse response = call.wantsTable() && code == 200
        ? Responses.table(table(call, List.of(served), new ListMeta(resourceVersionOf(served), null, null), now))
        : Responses.json(code, served);
    return withWarnings(response, warnings);
  }

  static HttpResponse list(Call call, ListQuery.Page page, Instant now) {
    ListMeta meta = new ListMeta(String.valueOf(page.resourceVersion()), page.continueToken(),
        page.remainingItemCount());
    List<Object> items = forClient(page.items(), call);
    if (call.wantsTable()) {
      return Responses.table(table(call, items, meta, now));
    }
    return Responses.json(200, new KubeList<>(call.apiVersion(), call.kind().listKind(), meta, items));
  }

  static Table table(Call call, List<Object> items, ListMeta meta, Instant now) {
    return Tables.forResource(call.kind().resource, items, meta, now,
        Tables.IncludeObject.parse(call.query("includeObject").orElse(null)));
  }

  static HttpResponse withWarnings(HttpResponse response, List<String> warnings) {
    if (warnings == null || warnings.isEmpty()) {
      return response;
    }
    List<HttpHeader> headers = new ArrayList<>();
    response.getHeaders().forEach(headers::add);
    for (String w : warnings) {
      headers.add(RawHeader.create("Warning", "299 - " + goQuote(w)));
    }
    return response.withHeaders(headers);
  }

  private static String resourceVersionOf(Object served) {
    return io.daemonset.view.KubeObjects.metadata(served).resourceVersion();
  }

  /** Go's %q for header text (quotes and backslashes escaped). */
  static String goQuote(String s) {
    return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }
}
