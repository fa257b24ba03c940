package io.daemonset.audit;

import io.daemonset.journal.Journal;
import io.daemonset.daemonset.DaemonSetEntity;
import io.daemonset.model.DaemonSet;
import io.daemonset.model.Node;
import io.daemonset.model.Pod;
import io.daemonset.node.NodeEntity;
import io.daemonset.view.ObjectIndex;
import java.time.Instant;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.persistence.query.Sequence;

/**
 * The objects as they were at an instant: the journal's events decided up to then, applied with the
 * entities' own event handlers (the same index the API serves from).
 */
public final class StateAt {
  private StateAt() {}

  public static ObjectIndex at(JdbcReadJournal journal, ActorSystem<?> system, Instant instant) throws Exception {
    ObjectIndex index = new ObjectIndex();
    journal.currentEventsByTag(Journal.TAG, Offset.noOffset())
        .takeWhile(envelope -> !causeAt(envelope.event()).isAfter(instant))
        .runForeach(envelope -> index.apply(envelope.persistenceId(), ((Sequence) envelope.offset()).value(),
            envelope.event()), system)
        .toCompletableFuture().get(10, TimeUnit.MINUTES);
    return index;
  }

  /** A plain-text report: DaemonSets with their counters, nodes with their labels, and where each pod ran. */
  public static String describe(JdbcReadJournal journal, ActorSystem<?> system, Instant instant) throws Exception {
    ObjectIndex index = at(journal, system, instant);
    StringBuilder out = new StringBuilder("state at " + instant + "\n\nDaemonSets (desired current ready updated)\n");
    index.list(ObjectIndex.DAEMONSETS).stream().map(o -> (DaemonSet) o.object())
        .sorted(Comparator.comparing(d -> d.metadata().namespace() + "/" + d.metadata().name()))
        .forEach(d -> out.append(String.format("  %s/%s  %d %d %d %d%n", d.metadata().namespace(), d.metadata().name(),
            d.status().desiredNumberScheduled(), d.status().currentNumberScheduled(), d.status().numberReady(),
            d.status().updatedNumberScheduled())));
    out.append("\nNodes\n");
    index.list(ObjectIndex.NODES).stream().map(o -> (Node) o.object()).sorted(Comparator.comparing(Node::name))
        .forEach(n -> out.append("  ").append(n.name()).append("  ").append(n.metadata().labelsOrEmpty()).append('\n'));
    out.append("\nPods\n");
    index.list(ObjectIndex.PODS).stream().map(o -> (Pod) o.object())
        .sorted(Comparator.comparing(p -> p.spec().nodeName() + " " + p.metadata().name()))
        .forEach(p -> out.append(String.format("  %-12s %s/%s  %s%n", p.spec().nodeName(), p.metadata().namespace(),
            p.metadata().name(), p.status() == null ? "" : p.status().phase())));
    return out.toString();
  }

  private static Instant causeAt(Object event) {
    if (event instanceof DaemonSetEntity.Event e) {
      return e.cause().at();
    } else if (event instanceof NodeEntity.Event e) {
      return e.cause().at();
    } else if (event instanceof io.daemonset.objects.ObjectEntity.Event e) {
      return e.cause().at();
    }
    return Instant.MIN;
  }
}
