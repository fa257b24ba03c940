package io.daemonset.api.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.daemonset.api.patch.ApplyResult.Conflict;
import io.daemonset.api.patch.ManagedFields.Entry;
import io.daemonset.model.Json;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * {@code application/apply-patch+yaml}: server-side apply, as kube-apiserver's field manager over
 * structured-merge-diff does it, good enough for {@code kubectl apply --server-side} and its migration from
 * client-side apply (shared/reference/kubectl-wire 03-apply-server-side).
 *
 * <p>Steps (merge.Updater.Apply): merge the configuration into the live object; the manager's Apply entry
 * becomes the configuration's field set; fields the manager applied last time and no longer applies are
 * removed unless another manager (Apply or Update) or the new configuration claims them; then every field
 * the apply modifies or adds that another manager owns is a conflict. Without force, conflicts refuse the
 * apply (409); with force, ownership moves to the applier. Fields the apply removes leave every manager.
 * Kept from kube-apiserver's wrappers: an object without managedFields first gets a "before-first-apply"
 * Update entry owning all it has; the manager "kubectl" may take over fields whose live value still equals
 * the last-applied-configuration annotation (that is what lets kubectl move from client-side to server-side
 * apply), and keeps that annotation up to date when the object has one.
 *
 * <p>Simplified versus structured-merge-diff: {@link PatchSchema} stands in for the OpenAPI schema (which
 * lists are keyed, sets or atomic, which few structs are atomic); no conversion between API versions (an entry's fields are read as they are written);
 * no unions; fields are not validated against a schema (unknown fields are owned like known ones);
 * a prune removes the paths themselves, while upstream also adds back unowned siblings of a removed map
 * (addBackDanglingItems). Defaulting after the merge is the kind's, as in kube-apiserver (pruning
 * may remove defaulted fields the applier owned; defaulting puts them back): pass it in {@link Options}.
 */
public final class ServerSideApply {
  static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";
  /** The manager kube-apiserver gives fields of an object first applied to when it had no managedFields. */
  static final String BEFORE_FIRST_APPLY = "before-first-apply";

  private ServerSideApply() {}

  /**
   * The request: {@code fieldManager} (required), {@code force}, the {@code apiVersion} of the endpoint
   * (the configuration must name the same), the time to stamp on the manager's entry, and the defaulting of
   * the kind, run on the merged object as kube-apiserver runs it (pruning may remove defaulted fields the
   * applier owned, defaulting puts them back; without it {@code changed} would be true for nothing).
   */
  public record Options(String fieldManager, boolean force, String apiVersion, Instant now,
                        UnaryOperator<JsonNode> defaulter) {
    /** Options without defaulting. */
    public Options(String fieldManager, boolean force, String apiVersion, Instant now) {
      this(fieldManager, force, apiVersion, now, UnaryOperator.identity());
    }
  }

  /** The body of an apply request, YAML or JSON (JSON is YAML); 400 if it is not one object. */
  public static JsonNode parse(String body) {
    try {
      JsonNode node = body == null ? null : Json.yamlMapper().readTree(body);
      if (node != null && node.isObject()) {
        return node;
      }
      throw PatchException.badRequest("error decoding YAML: the body is not a YAML or JSON object");
    } catch (IOException e) {
      throw PatchException.badRequest("error decoding YAML: "
          + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
    }
  }

  /**
   * Applies {@code config} to {@code live} (null to create). Refuses, with a {@link PatchException}, a
   * request without fieldManager (422, as ValidatePatchOptions), a configuration of another apiVersion or
   * carrying managedFields (400).
   */
  public static ApplyResult apply(JsonNode live, JsonNode config, Options options, PatchSchema schema) {
    validate(config, options);
    ObjectNode bare = live == null ? Nodes.object() : live.deepCopy();
    JsonNode liveManagedFields = bare.path("metadata").path("managedFields");
    if (bare.path("metadata").isObject()) {
      ((ObjectNode) bare.get("metadata")).remove("managedFields");
    }
    List<Entry> entries = liveEntries(live, bare, liveManagedFields, options, schema);
    ApplyAttempt attempt = new ApplyAttempt(bare, config, entries, options, schema);
    ApplyResult result = attempt.result(options.force());
    if (result instanceof ApplyResult.Conflicted && "kubectl".equals(options.fieldManager())) {
      // kubectl moving from client-side apply: fields it applied then, unchanged since, are its own
      List<Conflict> remaining = attempt.conflictsOutside(
          LastApplied.ownedByClientSideApply(bare, options.apiVersion(), schema));
      result = remaining.isEmpty() ? attempt.result(true) : new ApplyResult.Conflicted(remaining);
    }
    if (result instanceof ApplyResult.Applied applied) {
      if ("kubectl".equals(options.fieldManager())) {
        LastApplied.update(bare, (ObjectNode) applied.object(), config);
      }
      return new ApplyResult.Applied(applied.object(), live == null || !Nodes.equal(live, applied.object()));
    }
    return result;
  }

  private static void validate(JsonNode config, Options options) {
    PatchType.APPLY_PATCH.validateOptions(options.fieldManager(), options.force());
    String version = config.path("apiVersion").asText("");
    if (!version.equals(options.apiVersion())) {
      throw PatchException.badRequest("Incorrect version specified in apply patch. Specified patch version: "
          + version + ", expected: " + options.apiVersion());
    }
    if (config.path("metadata").has("managedFields") && !config.path("metadata").get("managedFields").isNull()) {
      throw PatchException.badRequest("metadata.managedFields must be nil");
    }
  }

  /** The live entries; an existing object without any first gets "before-first-apply" owning all it has. */
  private static List<Entry> liveEntries(JsonNode live, JsonNode bare, JsonNode managedFields, Options options,
                                         PatchSchema schema) {
    List<Entry> entries;
    try {
      entries = new ArrayList<>(ManagedFields.decode(managedFields));
    } catch (IllegalArgumentException e) {
      throw new PatchException(500, "InternalError", "failed to decode managed fields: " + e.getMessage(), null,
          null);
    }
    if (live != null && entries.isEmpty()) {
      FieldSet existing = ManagedFields.tracked(FieldSets.of(bare, schema), null);
      if (!existing.isEmpty()) {
        entries.add(new Entry(BEFORE_FIRST_APPLY, ManagedFields.UPDATE, options.apiVersion(),
            ManagedFields.timestamp(options.now()), existing, null));
      }
    }
    return entries;
  }
}
