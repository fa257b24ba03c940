package io.daemonset.audit;

import io.daemonset.daemonset.DaemonSetEntity;
import io.daemonset.model.Cause;
import io.daemonset.node.NodeEntity;
import io.daemonset.objects.ObjectEntity;
import java.util.Optional;

/**
 * The one place the audit looks inside an event: its {@link Cause} (when, who, why). Everything else it learns
 * from what the entities' own event handlers make of the event, so a change of the event format needs no
 * change here as long as events keep their cause.
 */
final class EventCauses {
  private EventCauses() {}

  static Optional<Cause> of(Object event) {
    if (event instanceof DaemonSetEntity.Event e) {
      return Optional.ofNullable(e.cause());
    } else if (event instanceof NodeEntity.Event e) {
      return Optional.ofNullable(e.cause());
    } else if (event instanceof ObjectEntity.Event e) {
      return Optional.ofNullable(e.cause());
    }
    return Optional.empty();
  }
}
