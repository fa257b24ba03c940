package io.daemonset.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonset.cluster.Store;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * CI's smoke run of the fleet benchmarks: each runs tiny (a few nodes) and prints its table row. Timings are never
 * asserted; what is asserted is that the benchmarks still work, and that a converge starts no more than a handful of
 * threads (every asynchronous path has an explicit executor: on 2 cores CompletableFuture's default starts a thread
 * per task, 15,000 in a 54 s converge before this was fixed).
 */
class ScaleBenchSmokeTest {

  private static String run(ScaleBenchRunner runner) throws Exception {
    return run(4, runner);
  }

  private static String run(int nodes, ScaleBenchRunner runner) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    runner.run(new ScaleBench(new ScaleBench.Options(nodes, 2, Store.H2, null, Duration.ZERO, 2, 0, 0, null, out)));
    String printed = bytes.toString(StandardCharsets.UTF_8);
    System.out.print(printed);
    return printed;
  }

  interface ScaleBenchRunner {
    void run(ScaleBench bench) throws Exception;
  }

  @Test
  void convergePrintsItsRowAndStartsAHandfulOfThreadsAtMost() throws Exception {
    // 60 pods: a thread per ask or per report (Pekko's javadsl ask did that too) starts 60 or more
    String printed = run(30, ScaleBench::converge);
    String row = lastRow(printed);
    assertThat(row).startsWith("| converge | 30 nodes × 2 DS | h2 | register ");
    assertThat(printed).containsPattern("journal: \\d+ events, [\\d.]+ MB of payload \\(.*PodAdmitted 60 × ")
        .containsPattern("requests: \\d+ \\([\\d.]+ per pod: .*update pods/status 1\\.00.*\\); floor: \\d+ node reads at 64 in flight take ")
        .containsPattern("heap per binding: \\d+ B \\(a DaemonSet state of 50,000 bindings")
        // 60 pods admitted: an ask each, timed to its answer
        .containsPattern("DaemonSets: [1-9]\\d* reconciles deciding \\d+ ms in all .* \\d{2,} node asks, answered in \\d+ ms")
        .containsPattern("live heap after a full GC: \\d+ MiB of a \\d+ MiB maximum")
        .containsPattern("jit: the compiler threads ran [\\d.]+ CPU s of the measured part's [\\d.]+ \\(\\d+ %\\)");
    String[] cells = row.split("\\|");
    int threads = Integer.parseInt(cells[8].trim());
    // Bounded pools start their threads lazily as the first work arrives (15 seen on the 2-core CI machine); a thread
    // per completion, the leak this guards against, starts several per pod and per status report.
    assertThat(threads).as("threads started during a converge of 60 pods").isLessThanOrEqualTo(24);
  }

  @Test
  void rolloutJoinRestartAndApiPrintTheirRows() throws Exception {
    assertThat(lastRow(run(ScaleBench::rollout))).startsWith("| rollout | 4 nodes × 2 DS | h2 | all updated and Ready ");
    String join = run(ScaleBench::join);
    assertThat(lastRow(join)).startsWith("| join | 4 nodes × 2 DS | h2 | 2 nodes join: p50 ");
    assertThat(join).containsPattern("join stages \\(p50 / p99 ms over 2 nodes\\): NodeRegistered → last PodsScheduled");
    assertThat(lastRow(run(ScaleBench::restart))).contains("| restart |").contains(", 0 pods replaced |");
    String api = run(ScaleBench::api);
    assertThat(lastRow(api)).startsWith("| api | 4 nodes × 2 DS | h2 | node label merge patch p50 ");
    assertThat(api).containsPattern("throughput: 200 node reads at 64 in flight take [\\d.]+ s .*requests/s");
  }

  @Test
  void journalPrintsItsRowAndEveryEventKeepsItsTagAndOrder() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    new JournalBench(new JournalBench.Options(5, 3, Store.H2, null,
        new PrintStream(bytes, true, StandardCharsets.UTF_8))).run();
    String printed = bytes.toString(StandardCharsets.UTF_8);
    System.out.print(printed);
    // 5 entities: one warm-up report each, then 2 measured ones each
    assertThat(lastRow(printed)).startsWith("| journal | 5 × 3 | h2 | ").contains("batchSize ");
    assertThat(printed).contains("journal rows 10, 10 tag rows, 0 out of order")
        .containsPattern("ceiling: 2000 rows in batches of \\d+ from one connection");
  }

  /** The table row: the last line that is a row of the table, not its header or separator. */
  private static String lastRow(String printed) {
    return java.util.Arrays.stream(printed.strip().split("\n"))
        .filter(line -> line.startsWith("| ") && !line.startsWith("| bench ")).reduce((a, b) -> b).orElse("");
  }
}
