package io.daemonset.view;

import io.daemonset.model.ControllerRevision;
import io.daemonset.model.DaemonSet;
import io.daemonset.model.Event;
import io.daemonset.model.Node;
import io.daemonset.model.ObjectMeta;
import io.daemonset.model.Pod;

/** The few things every served object kind has in common, without a common supertype in the model. */
public final class KubeObjects {
  private KubeObjects() {}

  public static ObjectMeta metadata(Object object) {
    if (object instanceof DaemonSet o) {
      return o.metadata();
    } else if (object instanceof Node o) {
      return o.metadata();
    } else if (object instanceof Pod o) {
      return o.metadata();
    } else if (object instanceof ControllerRevision o) {
      return o.metadata();
    } else if (object instanceof Event o) {
      return o.metadata();
    } else if (object instanceof io.daemonset.model.PlainObject o) {
      return o.metadata();
    }
    throw new IllegalArgumentException("not a served object: " + object);
  }

  public static Object withResourceVersion(Object object, long resourceVersion) {
    String rv = String.valueOf(resourceVersion);
    if (object instanceof DaemonSet o) {
      return o.withMetadata(o.metadata().withResourceVersion(rv));
    } else if (object instanceof Node o) {
      return o.withMetadata(o.metadata().withResourceVersion(rv));
    } else if (object instanceof Pod o) {
      return o.withMetadata(o.metadata().withResourceVersion(rv));
    } else if (object instanceof ControllerRevision o) {
      return new ControllerRevision(o.apiVersion(), o.kind(), o.metadata().withResourceVersion(rv), o.data(), o.revision());
    } else if (object instanceof Event o) {
      return new Event(o.apiVersion(), o.kind(), o.metadata().withResourceVersion(rv), o.involvedObject(), o.reason(),
          o.message(), o.source(), o.firstTimestamp(), o.lastTimestamp(), o.count(), o.type(), o.reportingComponent(),
          o.reportingInstance());
    } else if (object instanceof io.daemonset.model.PlainObject o) {
      return o.withMetadata(o.metadata().withResourceVersion(rv));
    }
    throw new IllegalArgumentException("not a served object: " + object);
  }
}
