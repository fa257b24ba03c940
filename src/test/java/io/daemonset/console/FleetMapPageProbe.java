package io.daemonset.console;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Not part of the suite (the name does not end in Test): the fleet map page alone, with the script and stylesheet
 * from src/main/resources and a scripted feed in place of the server's EventSource, so the page's own cost can be
 * measured without a control plane and hollow fleet competing for the CPU.
 * {@code mvn -o test -Dtest=FleetMapPageProbe -Dconsole.nodes=5000 [-Dconsole.profile=true]} prints
 * {@code probe-long-tasks: …}. The feed plays a rollout with maxUnavailable 25%: every 250 ms one message (as
 * LiveFeed sends) moving the next quarter of the cells old → unavailable → starting → updated. The page is rendered
 * with every cell updated, and the rollout's first message (a new revision: every cell turns old) covers the whole
 * fleet, as LiveFeed's does.
 */
class FleetMapPageProbe {
  static final int NODES = Integer.getInteger("console.nodes", 5000);

  @Test
  void rolloutOverAFleetMap() throws Exception {
    Path dir = Files.createTempDirectory("fleet-probe");
    Path resources = Path.of("src", "main", "resources", "io", "daemonset", "console", "static");
    // -Dprobe.script=FILE measures another console.js (e.g. an older one from git show) on the same page and feed
    Files.copy(System.getProperty("probe.script") == null ? resources.resolve("console.js")
        : Path.of(System.getProperty("probe.script")), dir.resolve("console.js"));
    // -Dprobe.css=RULES appends rules to the stylesheet, to try a change without editing it
    Files.writeString(dir.resolve("console.css"), Files.readString(resources.resolve("console.css"))
        + System.getProperty("probe.css", ""));
    Files.writeString(dir.resolve("feed.js"), FEED.replace("NODES", String.valueOf(NODES)));
    Files.writeString(dir.resolve("fleet.html"), page());
    try (Browser browser = Browser.start(dir.resolve("profile"))) {
      browser.driver.executeCdpCommand("Performance.enable", Map.of());
      browser.driver.get(dir.resolve("fleet.html").toUri().toString());
      // the page builds its cells a chunk per frame after loading
      org.awaitility.Awaitility.await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200))
          .until(() -> "true".equals(browser.driver.executeScript("return document.getElementById('fleet')"
              + ".dataset.built")));
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> metrics = (List<Map<String, Object>>) browser.driver.executeCdpCommand(
          "Performance.getMetrics", Map.of()).get("metrics");
      System.out.println("probe-initial-render main thread (s): " + metrics.stream().filter(m -> List.of(
          "TaskDuration", "ScriptDuration", "RecalcStyleDuration", "LayoutDuration").contains(m.get("name")))
          .map(m -> m.get("name") + "=" + String.format("%.3f", ((Number) m.get("value")).doubleValue())).toList());
      Object initial = browser.driver.executeScript("return window.consoleLongTasks.map(t => Math.round(t.duration))");
      System.out.println("probe-initial-render long tasks (ms): " + initial);
      System.out.println("probe-initial-render frames over 50 ms [duration, script, style and layout] (ms): "
          + browser.driver.executeScript("return window.probeFrames"));
      browser.driver.executeScript("window.consoleLongTasks.length = 0;");
      BrowserProfile profile = BrowserProfile.startIfEnabled(browser.driver);
      browser.driver.executeScript("window.probeStart()");
      org.awaitility.Awaitility.await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
          .until(() -> Boolean.TRUE.equals(browser.driver.executeScript("return window.probeDone")));
      if (profile != null) {
        profile.stop("probe-" + NODES);
      }
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> tasks = (List<Map<String, Object>>) browser.driver.executeScript(
          "return window.consoleLongTasks");
      Object applied = browser.driver.executeScript("return [document.querySelectorAll('#fleet .s-u').length,"
          + " window.probeMessages]");
      System.out.printf("probe-long-tasks: %d nodes, %s [updated cells, messages], %d long tasks, longest %.0f ms,"
          + " all %s%n", NODES, applied, tasks.size(), tasks.stream().mapToDouble(t -> ((Number) t.get("duration"))
          .doubleValue()).max().orElse(0), tasks.stream().map(t -> Math.round(((Number) t.get("duration"))
          .doubleValue())).toList());
      System.out.println("probe-cells-handlers: [cells, ms] whole-fleet first, then the slowest: " + browser.driver
          .executeScript("const h = window.probeHandlers; return [h[0], h.slice(1).reduce((m, x) => x[1] > m[1] ? x : m,"
          + " [0, 0])]"));
      browser.screenshot("probe-" + NODES);

      // nodes joining, one message each (as the feed sends a join): at the end of the map (after b-N/2), then in
      // its middle (after a-N/2); the main thread's time per join from Chrome's counters
      for (String where : List.of("end", "middle")) {
        Map<String, Double> before = metrics(browser);
        browser.driver.executeScript("window.probeJoin(arguments[0], arguments[1])", where, JOINS);
        org.awaitility.Awaitility.await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500))
            .until(() -> Boolean.TRUE.equals(browser.driver.executeScript("return window.probeJoined")));
        Map<String, Double> after = metrics(browser);
        Object placed = browser.driver.executeScript("const n = Array.from(document.getElementById('fleet').children,"
            + " a => a.dataset.n); return [n.indexOf('a-' + (arguments[0] / 2 + 1)), n.indexOf('b-1'), n.length]",
            NODES);
        System.out.printf("probe-join: %d nodes, %d joins at the %s, per join: main thread tasks %.1f ms, script"
            + " %.1f ms, layout %.1f ms; [place of a-%d, of b-1, cells] %s%n", NODES, JOINS, where,
            1000 * (after.get("TaskDuration") - before.get("TaskDuration")) / JOINS,
            1000 * (after.get("ScriptDuration") - before.get("ScriptDuration")) / JOINS,
            1000 * (after.get("LayoutDuration") - before.get("LayoutDuration")) / JOINS, NODES / 2 + 1, placed);
      }
    }
  }

  static final int JOINS = 10;

  @SuppressWarnings("unchecked")
  static Map<String, Double> metrics(Browser browser) {
    Map<String, Double> out = new java.util.HashMap<>();
    for (Map<String, Object> m : (List<Map<String, Object>>) browser.driver.executeCdpCommand(
        "Performance.getMetrics", Map.of()).get("metrics")) {
      out.put((String) m.get("name"), ((Number) m.get("value")).doubleValue());
    }
    return out;
  }

  static String page() {
    List<String> names = new java.util.ArrayList<>();
    for (int i = 1; i <= NODES; i++) {
      names.add(i <= NODES / 2 ? "a-" + i : "b-" + (i - NODES / 2));
    }
    String cells = "data-nodes=\"" + String.join(" ", names) + "\" data-states=\"" + "u".repeat(NODES) + "\"";
    String legend = "";
    for (String code : List.of("u", "o", "s", "x", "c", "m", "n")) {
      legend += "<li><span class=\"c s-" + code + "\" aria-hidden=\"true\"></span> " + code + ": <strong data-count=\""
          + code + "\">" + (code.equals("u") ? NODES : 0) + "</strong></li>";
    }
    return """
        <!doctype html><html lang="en"><head><meta charset="utf-8"><title>probe</title>
        <link rel="stylesheet" href="console.css"><script src="feed.js"></script><script src="console.js" defer></script>
        </head><body data-page="fleet" data-rv="1"><header class="top"><span class="live" id="live" data-state="off">not
        live</span></header><main id="main"><h1>Fleet map</h1>
        <div class="progress" data-ds="default/agent"><label>Rollout: <span data-field="rollout-text">0 of @N@ updated</span>
        <progress class="rollout" data-field="rollout" max="@N@" value="0"></progress></label><label>Availability:
        <span data-field="availability-text">@N@ available</span><meter class="availability" data-field="availability"
        min="0" max="@N@" value="@N@"></meter></label></div>
        <ul class="legend">LEGEND</ul><p class="hint">@N@ nodes.</p>
        <div class="fleet-box"><nav id="fleet" class="fleet" aria-label="Nodes" data-ds="default/agent" data-label="" CELLS></nav></div>
        <div id="tip" class="tip" role="tooltip" hidden></div></main></body></html>
        """.replace("LEGEND", legend).replace("CELLS", cells).replace("@N@", String.valueOf(NODES));
  }

  /** Stands in for EventSource: plays the rollout once probeStart() is called. */
  static final String FEED = """
      'use strict';
      (function () {
        const n = NODES, names = [];
        for (let i = 1; i <= n; i++) names.push(i <= n / 2 ? 'a-' + i : 'b-' + (i - n / 2));
        const state = names.map(() => 'o');
        let listeners = {};
        // the initial build's long animation frames: how much of each was script, how much style and layout
        window.probeFrames = [];
        new PerformanceObserver(l => { for (const e of l.getEntries()) window.probeFrames.push([Math.round(e.duration),
          Math.round(e.scripts.reduce((t, s) => t + s.duration, 0)), Math.round(e.styleAndLayoutStart ?
          e.startTime + e.duration - e.styleAndLayoutStart : 0)]); }).observe({ type: 'long-animation-frame', buffered: true });
        window.probeMessages = 0;
        window.EventSource = class {
          constructor() { setTimeout(() => this.onopen && this.onopen(), 0); }
          addEventListener(type, fn) { listeners[type] = fn; }
          close() {}
        };
        // how long the page's listener takes for each cells message (parsing and listing it, before any frame applies
        // it): [cells in the message, ms]
        window.probeHandlers = [];
        function send(type, data) {
          window.probeMessages++;
          if (!listeners[type]) return;
          const event = { data: JSON.stringify(data) }, t0 = performance.now();
          listeners[type](event);
          if (type === 'cells') window.probeHandlers.push([data.cells ? Object.keys(data.cells).length
            : data.states.length, Math.round(10 * (performance.now() - t0)) / 10]);
        }
        window.probeJoin = function (where, k) {
          window.probeJoined = false;
          let i = 0;
          const timer = setInterval(() => {
            const name = (where === 'end' ? 'b-' : 'a-') + (n / 2 + 1 + i);
            send('cells', cellsMessage([name], ['m'], {}));
            if (++i === k) { clearInterval(timer); setTimeout(() => { window.probeJoined = true; }, 1000); }
          }, 250);
        };
        /** A cells message in LiveFeed's format (FleetDiff.message): nodes, in natural order, and their state codes. */
        function cellsMessage(nodes, codes, counts) {
          return { nodes: nodes.join(' '), states: codes.join(''), removed: '', full: false, counts: counts };
        }
        const quarter = Math.ceil(n / 4), rounds = 3;
        window.probeStart = function () {
          let tick = 0, round = 0, steps = ['x', 's', 'u'];
          // the new revision: every cell turns old at once, one message over the whole fleet
          send('cells', cellsMessage(names, state, { u: 0, o: n, s: 0, x: 0, c: 0, m: 0, n: 0 }));
          const timer = setInterval(() => {
            // wave w moves step (tick - w) of its quarter; waves overlap as maxUnavailable lets them
            const nodes = [], codes = [];
            for (let w = 0; w < 4; w++) {
              const s = tick - w;
              if (s < 0 || s >= steps.length) continue;
              for (let i = w * quarter; i < Math.min(n, (w + 1) * quarter); i++) { state[i] = steps[s]; nodes.push(names[i]); codes.push(steps[s]); }
            }
            const counts = { u: 0, o: 0, s: 0, x: 0, c: 0, m: 0, n: 0 };
            for (const c of state) counts[c]++;
            send('daemonsets', [{ key: 'default/agent', domId: 'ds-default--agent', desired: n, updated: counts.u + counts.s,
              remaining: counts.o + counts.x, available: counts.u + counts.o, unavailable: counts.x + counts.s,
              conditions: [], revisions: [] }]);
            send('cells', cellsMessage(nodes, codes, counts));
            if (++tick > 4 + steps.length) {
              tick = 0; steps = ['x', 's', ++round % 2 ? 'o' : 'u'];
              if (round === rounds) { clearInterval(timer); setTimeout(() => { window.probeDone = true; }, 1000); }
            }
          }, 250);
        };
      })();
      """;
}
