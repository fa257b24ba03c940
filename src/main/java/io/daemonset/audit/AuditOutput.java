package io.daemonset.audit;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.daemonset.model.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How answers are printed: for people (aligned columns, absolute and relative times) or as JSON / YAML
 * documents of {@value #API_VERSION}. {@code audit at} prints objects as kubectl does (YAML by default).
 */
public final class AuditOutput {
  /** The schema of the JSON / YAML answers and of every export line; bumped when a field changes meaning. */
  public static final String API_VERSION = "audit.daemonset.io/v1";
  private static final ObjectMapper JSON = configure(JsonMapper.builder().findAndAddModules().build());
  private static final ObjectMapper YAML = configure(YAMLMapper.builder(YAMLFactory.builder()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).enable(YAMLGenerator.Feature.MINIMIZE_QUOTES).build())
      .findAndAddModules().build());

  /** human (default), json or yaml. */
  public enum Format {
    HUMAN, JSON, YAML;

    public static Format parse(String text) {
      if (text == null) {
        return HUMAN;
      }
      return switch (text.toLowerCase(Locale.ROOT)) {
        case "json" -> JSON;
        case "yaml" -> YAML;
        case "human", "wide" -> HUMAN;
        default -> throw new IllegalArgumentException("unknown output '" + text + "': expected json or yaml");
      };
    }
  }

  private AuditOutput() {}

  private static ObjectMapper configure(ObjectMapper m) {
    return m.setSerializationInclusion(JsonInclude.Include.NON_NULL)
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
  }

  public static String history(List<AuditRecord> records, Format format, Instant now) {
    if (format != Format.HUMAN) {
      return document("History", records, format);
    }
    TextTable table = new TextTable("TIME", "AGE", "ORDERING", "ENTITY", "EVENT", "WHO", "REVISION", "NODE", "WHY");
    for (AuditRecord r : records) {
      table.row(r.at().toString(), AuditTimes.age(r.at(), now), String.valueOf(r.ordering()), r.entity() + " #"
          + r.sequenceNr(), r.event(), r.actor(), String.join(",", r.revisions()), summarize(r.nodes()), r.reason());
      table.detail(changeLines(r));
    }
    return table.render();
  }

  public static String pod(PodLife life, Format format, Instant now) {
    if (format != Format.HUMAN) {
      return document("PodLife", life, format);
    }
    TextTable table = new TextTable("TIME", "AGE", "POD", "WHAT", "WHO", "NODE", "REVISION", "BY", "WHY");
    for (PodLife.Milestone m : life.milestones()) {
      table.row(m.at().toString(), AuditTimes.age(m.at(), now), m.namespace() + "/" + m.pod(), m.what(), m.actor(),
          m.node(), m.revision(), m.entity(), m.reason());
    }
    return life.milestones().isEmpty() ? "no pod " + life.name() + " in the journal\n" : table.render();
  }

  public static String node(NodeLife life, Format format, Instant now) {
    if (format != Format.HUMAN) {
      return document("NodeLife", life, format);
    }
    StringBuilder out = new StringBuilder("Node " + life.name() + "\n\n");
    TextTable events = new TextTable("TIME", "AGE", "EVENT", "WHO", "WHY");
    life.nodeEvents().forEach(r -> events.row(r.at().toString(), AuditTimes.age(r.at(), now), r.event(), r.actor(),
        r.reason()).detail(changeLines(r).stream().filter(l -> !l.startsWith("pods ")).toList()));
    out.append(events.render()).append("\nPods placed on ").append(life.name()).append("\n\n");
    TextTable pods = new TextTable("POD", "DAEMONSET", "REVISION", "CAME", "WHO", "WHY", "WENT", "WHO", "WHY");
    for (NodeLife.Stay s : life.pods()) {
      pods.row(s.namespace() + "/" + s.pod(), s.daemonSet(), s.revision(), s.came().toString(), s.whoCame(),
          s.whyCame(), s.went() == null ? "(still there)" : s.went().toString(), s.whoWent(), s.whyWent());
    }
    return out.append(pods.render()).toString();
  }

  /** Objects as kubectl prints them: one object, or a v1 List. */
  public static String objects(List<Object> objects, boolean single, Format format) {
    Object doc = single && objects.size() == 1 ? objects.get(0) : kubeList(objects);
    return format == Format.JSON ? Json.write(doc) + "\n" : Json.writeYaml(doc);
  }

  public static String verify(VerifyReport report, Format format) {
    if (format != Format.HUMAN) {
      return document("VerifyReport", report, format);
    }
    StringBuilder out = new StringBuilder();
    out.append(report.ok() ? "OK" : "DAMAGED").append(": ").append(report.events()).append(" events of ")
        .append(report.entities()).append(" entities, ").append(report.checkpoints()).append(" checkpoints");
    if (report.lastCheckpointAt() != null) {
      out.append(" (last ").append(report.lastCheckpointAt()).append(')');
    }
    out.append('\n').append(report.signaturesChecked() ? "signatures checked with the key from "
        + report.keySource() : "signatures NOT checked: no key (DS_AUDIT_KEY or <data-dir>/audit-key)").append('\n');
    if (report.unsealed() + report.uncheckpointed() > 0) {
      out.append("not yet covered: ").append(report.unsealed()).append(" events unsealed, ")
          .append(report.uncheckpointed()).append(" sealed but not yet in a signed checkpoint\n");
    }
    if (!report.damages().isEmpty()) {
      TextTable t = new TextTable("ENTITY", "SEQ", "DAMAGE", "DETAIL");
      report.damages().forEach(d -> t.row(d.persistenceId(), String.valueOf(d.sequenceNr()), d.kind(), d.detail()));
      out.append(t.render());
    }
    if (!report.notices().isEmpty()) {
      TextTable t = new TextTable("ENTITY", "SEQ", "NOTICE", "DETAIL");
      report.notices().forEach(d -> t.row(d.persistenceId(), String.valueOf(d.sequenceNr()), d.kind(), d.detail()));
      out.append(t.render());
    }
    return out.toString();
  }

  /** One export line (JSON Lines): the record with {@code apiVersion} and {@code kind: AuditEvent}. */
  public static String exportLine(AuditRecord r) {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("apiVersion", API_VERSION);
    line.put("kind", "AuditEvent");
    line.putAll(JSON.convertValue(r, Map.class));
    return write(JSON, line);
  }

  private static List<String> changeLines(AuditRecord r) {
    List<String> out = new ArrayList<>();
    for (Change c : r.changes()) {
      String id = c.resource() + " " + (c.namespace() == null ? "" : c.namespace() + "/") + c.name();
      if (!c.type().equals("MODIFIED")) {
        out.add(id + " " + c.type().toLowerCase(Locale.ROOT));
      } else {
        c.fields().forEach(f -> out.add(id + " " + f.describe()));
      }
    }
    return out;
  }

  private static String summarize(List<String> values) {
    return values.size() <= 3 ? String.join(",", values)
        : String.join(",", values.subList(0, 3)) + ",+" + (values.size() - 3);
  }

  private static Map<String, Object> kubeList(List<Object> items) {
    Map<String, Object> list = new LinkedHashMap<>();
    list.put("apiVersion", "v1");
    list.put("kind", "List");
    list.put("items", items);
    list.put("metadata", Map.of("resourceVersion", ""));
    return list;
  }

  private static String document(String kind, Object body, Format format) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("apiVersion", API_VERSION);
    doc.put("kind", kind);
    doc.put(body instanceof List ? "items" : "value", body);
    String text = write(format == Format.YAML ? YAML : JSON, doc);
    return format == Format.JSON ? text + "\n" : text;
  }

  private static String write(ObjectMapper mapper, Object value) {
    try {
      return mapper.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
