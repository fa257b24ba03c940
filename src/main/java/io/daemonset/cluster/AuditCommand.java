package io.daemonset.cluster;

import io.daemonset.audit.AuditEntry;
import io.daemonset.audit.AuditTrail;
import io.daemonset.audit.StateAt;
import io.daemonset.model.Json;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.stream.javadsl.Sink;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code audit}: the journal replayed, from the database alone. With the embedded H2 store the serving
 * JVM holds the file, so stop it first (or ask a running server: {@code GET /audit}).
 */
@Command(name = "audit", mixinStandardHelpOptions = true,
    description = "Replay the event journal: history (who, when, why), or the state at an instant.")
public final class AuditCommand implements Callable<Integer> {

  @Option(names = "--data-dir", defaultValue = "data", description = "Data dir of the H2 store (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(names = "--store", description = "h2 (default) or postgres (DS_DB_URL, DS_DB_USER, DS_DB_PASSWORD).")
  String store;

  @Option(names = "--entity", description = "Only this entity, e.g. \"DaemonSet default/fluentd\" or \"Node node-1\".")
  String entity;

  @Option(names = "--after", defaultValue = "0", description = "Only events after this journal ordering.")
  long after;

  @Option(names = "--at", description = "Print the state (DaemonSets, nodes, pods) as it was at this instant (RFC 3339).")
  Instant at;

  @Option(names = "--json", description = "One JSON object per line, with each event in full.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    ControlPlaneSystem.Settings settings = ControlPlaneSystem.Settings.defaults().withDataDir(dataDir.toAbsolutePath())
        .withClusterPort(0).withSeedNodes(List.of());
    if (store != null) {
      settings = settings.withStore(Store.parse(store));
    }
    try (ControlPlaneSystem member = ControlPlaneSystem.start(settings)) {
      List<AuditEntry> trail = AuditTrail.replay(member.readJournal(), after)
          .runWith(Sink.seq(), member.system()).toCompletableFuture().get(10, TimeUnit.MINUTES);
      if (at != null) {
        System.out.print(StateAt.describe(member.readJournal(), member.system(), at));
        return 0;
      }
      for (AuditEntry e : trail) {
        if (entity == null || entity.equals(e.entity())) {
          System.out.println(json ? Json.write(e) : e.toLine());
        }
      }
    }
    return 0;
  }
}
