package io.daemonset.console;

import io.daemonset.model.DaemonSet;
import io.daemonset.view.ObjectIndex;
import java.util.Optional;

/** Small lookups the pages share. */
final class Pages {
  private Pages() {}

  /** "namespace/name" to the DaemonSet the view holds, if any. */
  static Optional<DaemonSet> daemonSet(ObjectIndex index, String key) {
    if (key == null || !key.contains("/")) {
      return Optional.empty();
    }
    int slash = key.indexOf('/');
    return index.get(ObjectIndex.DAEMONSETS, key.substring(0, slash), key.substring(slash + 1))
        .map(o -> (DaemonSet) o.object());
  }
}
