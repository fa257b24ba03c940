package io.daemonset.api.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.daemonset.api.patch.ApplyResult.Conflict;
import io.daemonset.api.patch.ManagedFields.Entry;
import java.util.ArrayList;
import java.util.List;

/**
 * One server-side apply computed against the live object (merge.Updater.Apply, then update):
 * <ol>
 *   <li>merged = live + configuration;</li>
 *   <li>the applier's set becomes the configuration's; what it owned before and no one claims now
 *       (its new set included, named fields counting as members) is pruned from merged;</li>
 *   <li>comparing live with merged: another manager's field that is modified or added is a conflict;
 *       a removed field leaves every other manager.</li>
 * </ol>
 * Invariant: with force or without conflicts, every field of the configuration is owned by the applier
 * alone, unless another manager owns it with the very value applied (shared ownership, as upstream).
 */
final class ApplyAttempt {
  private final JsonNode live;
  private final ObjectNode merged;
  private final List<Entry> others = new ArrayList<>();
  private final Entry previous;
  private final FieldSet applied;
  private final FieldSets.Comparison change;
  private final ServerSideApply.Options options;

  ApplyAttempt(JsonNode live, JsonNode config, List<Entry> entries, ServerSideApply.Options options,
               PatchSchema schema) {
    this.live = live;
    this.options = options;
    Entry mine = null;
    for (Entry e : entries) {
      if (e.sameManager(options.fieldManager(), ManagedFields.APPLY, options.apiVersion(), null)) {
        mine = e;
      } else {
        others.add(e);
      }
    }
    this.previous = mine;
    ApplyMerge merge = new ApplyMerge(schema);
    FieldSet configured = FieldSets.of(config, schema);
    this.applied = ManagedFields.tracked(configured, null);
    ObjectNode result = merge.merge(live, config);
    if (previous != null) {
      FieldSet claimed = configured;
      for (Entry e : others) {
        claimed = claimed.union(e.fields());
      }
      result = merge.remove(result, previous.fields().withFieldAncestors().minus(claimed.withFieldAncestors()));
    }
    this.merged = result;
    this.change = FieldSets.compare(live, merged, schema);
  }

  /** The outcome; with {@code force} conflicting fields move to the applier instead of refusing. */
  ApplyResult result(boolean force) {
    FieldSet touched = change.modifiedOrAdded();
    List<Conflict> conflicts = conflictsOutside(FieldSet.empty());
    if (!force && !conflicts.isEmpty()) {
      return new ApplyResult.Conflicted(conflicts);
    }
    List<Entry> entries = new ArrayList<>();
    for (Entry e : others) {
      entries.add(e.withFields(e.fields().minus(touched).minus(change.removed())));
    }
    boolean changed = !Nodes.equal(live, merged); // before defaulting, as structured-merge-diff decides it
    Entry mine = new Entry(options.fieldManager(), ManagedFields.APPLY, options.apiVersion(),
        previous == null ? null : previous.time(), applied, null);
    entries.add(changed || previous == null ? mine.at(options.now()) : mine);
    ObjectNode object = (ObjectNode) options.defaulter().apply(merged.deepCopy());
    var managedFields = ManagedFields.encode(entries);
    ObjectNode metadata = object.withObjectProperty("metadata");
    if (managedFields.isEmpty()) {
      metadata.remove("managedFields");
    } else {
      metadata.set("managedFields", managedFields);
    }
    return new ApplyResult.Applied(object, changed);
  }

  /** The conflicts on fields not in {@code allowed}. */
  List<Conflict> conflictsOutside(FieldSet allowed) {
    FieldSet touched = change.modifiedOrAdded().minus(allowed);
    List<Conflict> out = new ArrayList<>();
    for (Entry e : others) {
      e.fields().intersect(touched).paths()
          .forEach(path -> out.add(new Conflict(e.describe(), FieldSet.describe(path))));
    }
    return out;
  }
}
