package io.daemonset.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.jdbc.db.SlickExtension;
import org.apache.pekko.persistence.jdbc.db.SlickExtensionImpl;

/**
 * Where a joining node's time goes, from the journal's write timestamps: its {@code NodeRegistered}, the last of the
 * DaemonSets' {@code PodsScheduled} that names it, the last {@code PodAdmitted} on it; with the view's own times
 * ({@link JoinWatch}: the Node seen, the last pod seen bound) the stages of the join figure, as p50 / p99 over the
 * joining nodes.
 */
final class JoinStages {
  private static final ObjectMapper JSON = new ObjectMapper();

  private JoinStages() {}

  static String describe(ActorSystem<?> system, long sinceEpochMillis, String prefix) {
    return describe(system, sinceEpochMillis, prefix, Map.of(), Map.of());
  }

  /**
   * seen / complete: when this JVM's view showed each joined node and its last pod bound (epoch ms, {@link JoinWatch}),
   * for a second line that splits the join into its steps: the view's lag before it shows the node, the
   * notification and the first DaemonSet's round and write, the spread of the other DaemonSets' writes, the node's
   * admissions (and in how many writes), the view's lag after the last one.
   */
  static String describe(ActorSystem<?> system, long sinceEpochMillis, String prefix, Map<String, Long> seen,
                         Map<String, Long> complete) {
    Config config = system.settings().config();
    SlickExtensionImpl slick = (SlickExtensionImpl) SlickExtension.get(system.classicSystem());
    Map<String, Long> registered = new HashMap<>();
    Map<String, Long> scheduled = new HashMap<>();
    Map<String, Long> admitted = new HashMap<>();
    Map<String, Long> firstScheduled = new HashMap<>();
    Map<String, java.util.Set<Long>> admissionWrites = new HashMap<>();
    Map<String, java.util.Set<Long>> scheduleWrites = new HashMap<>();
    try (Connection c = slick.database(config.getConfig("jdbc-journal")).database().source().createConnection();
         PreparedStatement s = c.prepareStatement("SELECT \"persistence_id\", \"event_ser_manifest\", \"write_timestamp\","
             + " \"event_payload\", \"ordering\" FROM " + JournalSize.table(config, "jdbc-journal.tables.event_journal")
             + " WHERE \"write_timestamp\" >= ? ORDER BY \"ordering\"")) {
      s.setLong(1, sinceEpochMillis);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          String pid = r.getString(1);
          String type = r.getString(2);
          type = type.substring(type.lastIndexOf('$') + 1);
          long at = r.getLong(3);
          String node = pid.substring(pid.indexOf('|') + 1);
          if (pid.startsWith("Node|" + prefix) && type.equals("NodeRegistered")) {
            registered.putIfAbsent(node, at);
          } else if (pid.startsWith("Node|" + prefix) && type.equals("PodAdmitted")) {
            admitted.merge(node, at, Math::max);
            admissionWrites.computeIfAbsent(node, n -> new java.util.HashSet<>()).add(at);
          } else if (type.equals("PodsScheduled")) {
            for (String named : JSON.readTree(r.getBytes(4)).findValuesAsText("nodeName")) {
              if (named.startsWith(prefix)) {
                scheduled.merge(named, at, Math::max);
                firstScheduled.merge(named, at, Math::min);
                scheduleWrites.computeIfAbsent(named, n -> new java.util.HashSet<>()).add(r.getLong(5));
              }
            }
          }
        }
      }
    } catch (SQLException | java.io.IOException e) {
      return "join stages: not measured (" + e.getMessage() + ")";
    }
    List<Long> toScheduled = new ArrayList<>();
    List<Long> toAdmitted = new ArrayList<>();
    registered.forEach((node, at) -> {
      Long lastScheduled = scheduled.get(node);
      Long lastAdmitted = admitted.get(node);
      if (lastScheduled != null && lastAdmitted != null) {
        toScheduled.add(lastScheduled - at);
        toAdmitted.add(lastAdmitted - lastScheduled);
      }
    });
    String first = String.format("join stages (p50 / p99 ms over %d nodes): NodeRegistered → last PodsScheduled naming it %d / %d,"
            + " → last PodAdmitted on it %d / %d", toScheduled.size(), ScaleBench.percentile(toScheduled, 50),
        ScaleBench.percentile(toScheduled, 99), ScaleBench.percentile(toAdmitted, 50),
        ScaleBench.percentile(toAdmitted, 99));
    if (seen.isEmpty()) {
      return first;
    }
    List<Long> viewBefore = new ArrayList<>();
    List<Long> toFirst = new ArrayList<>();
    List<Long> spread = new ArrayList<>();
    List<Long> writesOfSchedules = new ArrayList<>();
    List<Long> writesOfAdmissions = new ArrayList<>();
    List<Long> viewAfter = new ArrayList<>();
    registered.forEach((node, at) -> {
      Long firstAt = firstScheduled.get(node);
      Long lastAt = scheduled.get(node);
      Long admittedAt = admitted.get(node);
      if (firstAt == null || admittedAt == null || !seen.containsKey(node) || !complete.containsKey(node)) {
        return;
      }
      viewBefore.add(seen.get(node) - at);
      toFirst.add(firstAt - at);
      spread.add(lastAt - firstAt);
      writesOfSchedules.add((long) scheduleWrites.get(node).size());
      writesOfAdmissions.add((long) admissionWrites.get(node).size());
      viewAfter.add(complete.get(node) - admittedAt);
    });
    return first + String.format("%njoin steps (p50 / p99 ms over %d nodes): NodeRegistered → view shows the node %d / %d;"
            + " NodeRegistered → first PodsScheduled naming it %d / %d, → last %d / %d (in %d / %d writes);"
            + " admissions in %d / %d writes (distinct write times); last PodAdmitted → view shows the last pod %d / %d",
        toFirst.size(), p(viewBefore, 50), p(viewBefore, 99), p(toFirst, 50), p(toFirst, 99), p(spread, 50),
        p(spread, 99), p(writesOfSchedules, 50), p(writesOfSchedules, 100), p(writesOfAdmissions, 50),
        p(writesOfAdmissions, 100), p(viewAfter, 50), p(viewAfter, 99));
  }

  private static long p(List<Long> values, int percentile) {
    return ScaleBench.percentile(values, percentile);
  }
}
