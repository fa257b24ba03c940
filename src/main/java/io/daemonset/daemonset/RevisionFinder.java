package io.daemonset.daemonset;

import io.daemonset.model.LabelSelector;
import java.util.List;
import java.util.Map;

/**
 * Where a DaemonSet finds the ControllerRevisions it may adopt from other DaemonSets' entities (upstream's
 * ClaimControllerRevisions adopts by selector, not by name): revisions of its namespace held by another entity that no
 * controller owns and whose labels the selector matches, and those already handed over to it ({@code askerUid}) whose
 * hand-over it has not finished. A read of this JVM's view of the journal, eventually consistent as upstream's
 * informer cache is; durable, since the view is rebuilt from the journal.
 */
@FunctionalInterface
public interface RevisionFinder {
  /** @return holder entity key ("namespace/name") → names of the revisions it may hand over; the asker's key left out */
  Map<String, List<String>> adoptable(String namespace, LabelSelector selector, String askerKey, String askerUid);

  RevisionFinder NONE = (namespace, selector, askerKey, askerUid) -> Map.of();
}
