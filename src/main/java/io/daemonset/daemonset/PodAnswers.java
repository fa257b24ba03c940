package io.daemonset.daemonset;

import io.daemonset.daemonset.DaemonSetEntity.Event;
import io.daemonset.model.Cause;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Folds each run of consecutive {@link DaemonSetEntity.PodBound} and {@link DaemonSetEntity.PodObserved} events of one
 * reconcile into one {@link DaemonSetEntity.PodsAnswered}: the same events in the same order, one journal row. Only
 * runs are folded, so every other event keeps its place between them; a run of one stays as it is.
 */
final class PodAnswers {
  private PodAnswers() {}

  static List<Event> batched(List<Event> events, Instant now) {
    List<Event> out = new ArrayList<>(events.size());
    List<Event> run = new ArrayList<>();
    for (Event e : events) {
      if (isAnswer(e)) {
        run.add(e);
      } else {
        flush(run, out, now);
        out.add(e);
      }
    }
    flush(run, out, now);
    return out;
  }

  private static boolean isAnswer(Event e) {
    return e instanceof DaemonSetEntity.PodBound || e instanceof DaemonSetEntity.PodObserved;
  }

  private static void flush(List<Event> run, List<Event> out, Instant now) {
    if (run.size() == 1) {
      out.add(run.get(0));
    } else if (run.size() > 1) {
      long bound = run.stream().filter(e -> e instanceof DaemonSetEntity.PodBound).count();
      out.add(new DaemonSetEntity.PodsAnswered(run.stream().map(DaemonSetEntity.PodAnswer::of).toList(),
          Cause.byController(now, "nodes answered for " + run.size() + " pods: " + bound + " bound, "
              + (run.size() - bound) + " observed")));
    }
    run.clear();
  }
}
