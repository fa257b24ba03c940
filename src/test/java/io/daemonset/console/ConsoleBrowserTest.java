package io.daemonset.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The console in a real browser (Debian's chromium, headless, through Selenium and chromedriver) against a real
 * control plane with 40 hollow nodes in two zones and a DaemonSet on all of them. Each test signs in afresh in a new
 * browser profile and leaves a screenshot in target/console-screenshots/.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserTest {
  /** 20 per zone in CI; {@code -Dconsole.per-zone=2500} measures the long tasks over a 5,000-node fleet. */
  static final int PER_ZONE = Integer.getInteger("console.per-zone", 20);
  static final int NODES = 2 * PER_ZONE;
  static final String DS_PATH = "/apis/apps/v1/namespaces/default/daemonsets/agent";
  static final Duration WAIT = Duration.ofSeconds(90 + NODES / 20);

  private Path dir;
  private ConsolePlane plane;
  private Browser browser;
  private ChromeDriver driver;
  private String screenshotName;

  @BeforeAll
  void startPlane() throws Exception {
    dir = Files.createTempDirectory("console-browser");
    plane = ConsolePlane.start(dir);
    plane.fleet("a-", PER_ZONE, "a", Duration.ofMillis(500));
    plane.fleet("b-", PER_ZONE, "b", Duration.ofMillis(500));
    plane.apply(daemonSet("agent:1"));
    awaitRolledOut("agent:1");
  }

  @AfterAll
  void stopPlane() {
    if (plane != null) {
      plane.close();
    }
  }

  @BeforeEach
  void openBrowser(TestInfo test) throws Exception {
    browser = Browser.start(Files.createTempDirectory(dir, "profile"));
    driver = browser.driver;
    screenshotName = test.getTestMethod().orElseThrow().getName();
  }

  @AfterEach
  void closeBrowser() {
    if (browser != null) {
      browser.screenshot(screenshotName + "-end");
      browser.close();
    }
  }

  @Test
  @Order(1)
  void aWrongTokenIsRefusedWithoutASessionAndTheAdminsTokenSignsIn() {
    driver.get(plane.consoleUrl() + "overview");
    assertThat(driver.getCurrentUrl()).endsWith("/console/login");

    signInWith("not-a-token-from-tokens.csv");
    // the click returns before the form's POST has been answered: wait for the page it lands on
    await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() ->
        assertThat(driver.findElement(By.id("login-error")).getText()).contains("not valid"));
    assertThat(driver.manage().getCookieNamed(ConsoleRoutes.COOKIE)).isNull();
    browser.screenshot("sign-in-refused");

    signInWith(plane.adminToken);
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(driver.getCurrentUrl())
        .endsWith("/console/overview"));
    assertThat(driver.findElement(By.id("user")).getText()).isEqualTo("admin");
    assertThat(driver.findElement(By.id("role")).getText()).isEqualTo("master");
    Cookie cookie = driver.manage().getCookieNamed(ConsoleRoutes.COOKIE);
    assertThat(cookie.isHttpOnly()).isTrue();
    assertThat(cookie.isSecure()).isTrue();
    assertThat(cookie.getSameSite()).isEqualTo("Strict");
    assertThat(cookie.getValue()).doesNotContain(plane.adminToken).hasSizeGreaterThanOrEqualTo(43);
    assertThat(driver.findElement(By.cssSelector("[data-count=nodes]")).getText()).isEqualTo(String.valueOf(NODES));
    assertThat(driver.findElement(By.id("members")).getText()).contains("this member").contains("Up");
    browser.screenshot("overview");
  }

  @Test
  @Order(2)
  void theFleetMapShowsOneCellPerNodeFiltersByLabelAndLeadsToNodesAndPods() {
    signInWith(plane.adminToken, "fleet?ds=default/agent");
    await().atMost(WAIT).until(() -> count("s-u") == NODES);
    assertThat(count("c")).isEqualTo(NODES);
    assertThat(driver.findElement(By.cssSelector("[data-count=u]")).getText()).isEqualTo(String.valueOf(NODES));
    // the cells' look is drawn on the canvas behind them: the first cell's pixels are "updated and ready" blue
    assertThat(driver.executeScript("const c = document.querySelector('.fleet-canvas'), a = document.querySelector("
        + "'#fleet a'), d = window.devicePixelRatio; return Array.from(c.getContext('2d').getImageData("
        + "Math.round((a.offsetLeft + 5) * d), Math.round((a.offsetTop + 5) * d), 1, 1).data).slice(0, 3)"))
        .isEqualTo(List.of(0L, 114L, 178L));
    browser.screenshot("fleet-map");

    WebElement filter = driver.findElement(By.id("label-filter"));
    filter.sendKeys("zone=a");
    driver.findElement(By.id("show")).click();
    await().atMost(WAIT).until(() -> count("c") == PER_ZONE);
    assertThat(cells("c")).allSatisfy(c -> assertThat(c.getAttribute("data-n")).startsWith("a-"));

    // keyboard: the map is one tab stop; arrows move, Enter opens the node
    WebElement first = cells("c").get(0);
    driver.executeScript("arguments[0].focus()", first);
    driver.switchTo().activeElement().sendKeys(Keys.ARROW_RIGHT);
    assertThat(driver.switchTo().activeElement().getAttribute("data-n")).isEqualTo("a-2");
    assertThat(driver.findElement(By.id("tip")).getText()).isEqualTo("a-2: updated and ready");
    driver.switchTo().activeElement().sendKeys(Keys.ENTER);
    await().atMost(WAIT).until(() -> driver.getCurrentUrl().endsWith("/console/nodes/a-2"));
    assertThat(driver.findElement(By.tagName("h1")).getText()).isEqualTo("Node a-2");
    assertThat(driver.findElement(By.id("labels")).getText()).contains("zone a");
    browser.screenshot("node");

    driver.findElement(By.cssSelector("#pods a")).click();
    assertThat(driver.findElement(By.tagName("h1")).getText()).startsWith("Pod default/agent-");
    String story = driver.findElement(By.id("story")).getText();
    assertThat(story).contains("PodsScheduled").contains("PodAdmitted").contains("Running, ready")
        .contains("daemonset-controller");
    browser.screenshot("pod-story");
  }

  @Test
  @Order(3)
  void aRolloutStartedWithKubectlMovesTheProgressBarAndTheCellsLive() {
    signInWith(plane.adminToken, "fleet?ds=default/agent");
    awaitLive();
    driver.executeScript("window.sameDocument = 'yes'; window.consoleLongTasks.length = 0;");
    assertThat(progress("value")).isEqualTo(NODES);
    BrowserProfile profile = BrowserProfile.startIfEnabled(driver);

    plane.kubectl("set", "image", "daemonset/agent", "c=agent:2");

    // polled with one script each time, and seldom: every poll runs on the page's main thread, the one measured
    await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
      MapState now = mapState();
      return now.progress() < NODES && now.old() > 0;
    });
    browser.screenshot("rollout-in-progress");
    await().atMost(WAIT).pollInterval(Duration.ofSeconds(1)).until(() -> {
      MapState now = mapState();
      return now.updated() == NODES && now.progress() == NODES;
    });
    assertThat(driver.findElement(By.cssSelector("[data-field=rollout-text]")).getText())
        .isEqualTo(NODES + " of " + NODES + " updated, 0 remaining");
    assertThat(driver.executeScript("return window.sameDocument")).as("updated live, not reloaded").isEqualTo("yes");
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> longTasks = (List<Map<String, Object>>) driver.executeScript(
        "return window.consoleLongTasks");
    if (profile != null) {
      profile.stop("rollout-" + NODES);
    }
    System.out.printf("console-long-tasks: %d nodes, %d long tasks during the rollout, longest %.0f ms%n", NODES,
        longTasks.size(), longTasks.stream().mapToDouble(t -> ((Number) t.get("duration")).doubleValue()).max()
            .orElse(0));
    assertThat(longTasks).allSatisfy(t -> assertThat(((Number) t.get("duration")).doubleValue()).isLessThan(200));
  }

  @Test
  @Order(4)
  void thePauseButtonPatchesTheDaemonSetsSpecThroughTheApi() {
    signInWith(plane.adminToken, "daemonsets");
    WebElement card = driver.findElement(By.id("ds-default--agent"));
    card.findElement(By.cssSelector("[data-action=pause]")).click();
    await().atMost(WAIT).until(() -> plane.api(DS_PATH).at("/spec/updateStrategy/rollingUpdate/paused")
        .asBoolean(false));
    await().atMost(WAIT).until(() -> driver.findElement(By.cssSelector("#ds-default--agent [data-field=paused]"))
        .isDisplayed());
    assertThat(driver.findElement(By.cssSelector("#ds-default--agent [data-action=resume]")).isEnabled()).isTrue();
    browser.screenshot("paused");

    driver.findElement(By.cssSelector("#ds-default--agent [data-action=resume]")).click();
    await().atMost(WAIT).until(() -> plane.api(DS_PATH).at("/spec/updateStrategy/rollingUpdate/paused")
        .isBoolean() && !plane.api(DS_PATH).at("/spec/updateStrategy/rollingUpdate/paused").asBoolean());
  }

  @Test
  @Order(5)
  void aViewerSeesNoActionButtonsAndAForgedActionIsRefused() {
    signInWith(plane.viewerToken, "daemonsets");
    assertThat(driver.findElement(By.id("role")).getText()).isEqualTo("viewer");
    assertThat(driver.findElement(By.id("ds-default--agent")).getText()).contains("Revision history");
    assertThat(driver.findElements(By.cssSelector("[data-action]"))).isEmpty();
    browser.screenshot("viewer");
    JsonNode before = plane.api(DS_PATH);

    // a forged pause with the viewer's own, valid CSRF token: the API refuses it as the viewer
    String csrf = driver.findElement(By.cssSelector("form[action='/console/logout'] input[name=csrf]"))
        .getAttribute("value");
    postFromPage("/console/daemonsets/default/agent/pause", csrf);
    assertThat(driver.findElement(By.tagName("h1")).getText()).isEqualTo("Not allowed (403)");
    assertThat(driver.findElement(By.id("error-message")).getText()).contains("The API refused to pause")
        .contains("forbidden");
    browser.screenshot("forged-action-refused");

    // and one without it is refused before it reaches the API
    signInWith(plane.viewerToken, "daemonsets");
    postFromPage("/console/daemonsets/default/agent/pause", "not-the-csrf-token");
    assertThat(driver.findElement(By.id("error-message")).getText()).contains("CSRF");
    assertThat(plane.api(DS_PATH).path("metadata").path("generation"))
        .isEqualTo(before.path("metadata").path("generation"));
    assertThat(plane.api(DS_PATH).at("/spec/updateStrategy")).isEqualTo(before.at("/spec/updateStrategy"));
  }

  @Test
  @Order(6)
  void signingOutEndsTheSessionOnTheServer() {
    signInWith(plane.adminToken, "overview");
    String session = driver.manage().getCookieNamed(ConsoleRoutes.COOKIE).getValue();
    assertThat(plane.call("GET", "/console/overview", null, ConsoleRoutes.COOKIE + "=" + session, null, null).code())
        .isEqualTo(200);

    driver.findElement(By.id("sign-out")).click();
    await().atMost(WAIT).until(() -> driver.getCurrentUrl().endsWith("/console/login"));
    assertThat(driver.manage().getCookieNamed(ConsoleRoutes.COOKIE)).isNull();
    driver.get(plane.consoleUrl() + "daemonsets");
    assertThat(driver.getCurrentUrl()).endsWith("/console/login");
    browser.screenshot("signed-out");

    // the old cookie no longer opens anything: the session is gone, not just forgotten by the browser
    ConsolePlane.Answer replay = plane.call("GET", "/console/overview", null, ConsoleRoutes.COOKIE + "=" + session,
        null, null);
    assertThat(replay.code()).isEqualTo(303);
    assertThat(replay.response().headers().firstValue("Location")).contains("/console/login");
    assertThat(plane.call("POST", "/console/daemonsets/default/agent/pause", null,
        ConsoleRoutes.COOKIE + "=" + session, "application/x-www-form-urlencoded", "csrf=x").code()).isEqualTo(401);
  }

  @Test
  @Order(7)
  void aJoiningNodeGetsItsCellInNaturalOrderAndOnlyTheCellsFromThereAreRedrawn() throws Exception {
    signInWith(plane.adminToken, "fleet?ds=default/agent");
    await().atMost(WAIT).until(() -> count("s-u") == NODES);
    awaitLive();
    // marks: the element of b-1 (a rebuilt map would replace it), and a-1's place on the canvas painted magenta
    // (a redraw of the whole map would paint it blue again)
    Object rowAdded = driver.executeScript("window.b1 = document.querySelector('#fleet a[data-n=\"b-1\"]');"
        + "const a = document.querySelector('#fleet a'), c = document.querySelector('.fleet-canvas').getContext('2d');"
        + "c.fillStyle = '#ff00ff'; c.fillRect(a.offsetLeft, a.offsetTop, 10, 10);"
        + "const all = document.querySelectorAll('#fleet a'), top0 = all[0].offsetTop;"
        + "let cols = 0; for (const x of all) { if (x.offsetTop !== top0) break; cols++; }"
        + "return all.length % cols === 0");

    // a-201 sorts after a-20 and before b-1: it joins the middle of the map
    plane.fleet("a-20", 1, "a", Duration.ofMillis(500));

    await().atMost(WAIT).until(() -> count("s-u") == NODES + 1);
    @SuppressWarnings("unchecked")
    List<String> names = (List<String>) driver.executeScript(
        "return Array.from(document.querySelectorAll('#fleet a'), a => a.dataset.n)");
    List<String> expected = new java.util.ArrayList<>();
    for (int i = 1; i <= PER_ZONE; i++) {
      expected.add("a-" + i);
    }
    expected.add("a-201");
    for (int i = 1; i <= PER_ZONE; i++) {
      expected.add("b-" + i);
    }
    assertThat(names).containsExactlyElementsOf(expected);
    assertThat(driver.executeScript("return window.b1 === document.querySelector('#fleet a[data-n=\"b-1\"]')"))
        .as("b-1's cell moved, not rebuilt").isEqualTo(true);
    for (String node : List.of("a-201", "b-1", "b-" + PER_ZONE)) {
      assertThat(pixel(node)).as("%s drawn at its new place", node).isEqualTo(List.of(0L, 114L, 178L));
    }
    if (Boolean.FALSE.equals(rowAdded)) {
      assertThat(pixel("a-1")).as("a-1, before the new cell, not redrawn").isEqualTo(List.of(255L, 0L, 255L));
    }
    browser.screenshot("node-joined");
  }

  @Test
  @Order(8)
  void theOverviewCountsANodeThatJoinsAndItsPodLive() throws Exception {
    signInWith(plane.adminToken, "overview");
    awaitLive();
    driver.executeScript("window.sameDocument = 'yes'");
    int nodes = Integer.parseInt(driver.findElement(By.cssSelector("[data-count=nodes]")).getText());
    int pods = Integer.parseInt(driver.findElement(By.cssSelector("[data-count=pods]")).getText());

    plane.fleet("b-20", 1, "b", Duration.ofMillis(500));

    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(driver.findElement(By.cssSelector("[data-count=nodes]")).getText())
          .isEqualTo(String.valueOf(nodes + 1));
      assertThat(driver.findElement(By.cssSelector("[data-count=nodesReady]")).getText())
          .isEqualTo(String.valueOf(nodes + 1));
      assertThat(driver.findElement(By.cssSelector("[data-count=pods]")).getText())
          .isEqualTo(String.valueOf(pods + 1));
      assertThat(driver.findElement(By.id("pods-by-state")).getText()).contains("Running, ready " + (pods + 1));
    });
    assertThat(driver.executeScript("return window.sameDocument")).as("updated live, not reloaded").isEqualTo("yes");
  }

  @Test
  @Order(9)
  void aNodeThatNoLongerMatchesTheFilterLeavesTheMapLive() {
    signInWith(plane.adminToken, "fleet?ds=default/agent&label=zone%3Da");
    await().atMost(WAIT).until(() -> "true".equals(driver.executeScript(
        "return document.getElementById('fleet').dataset.built")));
    awaitLive();
    @SuppressWarnings("unchecked")
    List<String> before = (List<String>) driver.executeScript(
        "return Array.from(document.querySelectorAll('#fleet a'), a => a.dataset.n)");
    String last = before.get(before.size() - 1);
    driver.executeScript("window.lastPlace = (a => [a.offsetLeft, a.offsetTop])(document.querySelector("
        + "'#fleet a[data-n=\"' + arguments[0] + '\"]'));"
        + "const a = document.querySelector('#fleet a'), c = document.querySelector('.fleet-canvas').getContext('2d');"
        + "c.fillStyle = '#ff00ff'; c.fillRect(a.offsetLeft, a.offsetTop, 10, 10);", last);

    plane.kubectl("label", "node", "a-3", "zone=c", "--overwrite");

    await().atMost(WAIT).until(() -> count("c") == before.size() - 1);
    List<String> expected = new java.util.ArrayList<>(before);
    expected.remove("a-3");
    assertThat(driver.executeScript("return Array.from(document.querySelectorAll('#fleet a'), a => a.dataset.n)"))
        .isEqualTo(expected);
    for (String node : List.of("a-4", last)) {
      assertThat(pixel(node)).as("%s drawn at its new place", node).isEqualTo(List.of(0L, 114L, 178L));
    }
    assertThat(driver.executeScript("const [x, y] = window.lastPlace, d = window.devicePixelRatio; return Array.from("
        + "document.querySelector('.fleet-canvas').getContext('2d').getImageData(Math.round((x + 5) * d),"
        + " Math.round((y + 5) * d), 1, 1).data)")).as("the place the last cell left is cleared")
        .isEqualTo(List.of(0L, 0L, 0L, 0L));
    assertThat(pixel("a-1")).as("a-1, before the cell that left, not redrawn").isEqualTo(List.of(255L, 0L, 255L));
    browser.screenshot("node-left-filter");
  }

  @Test
  @Order(10)
  void aNodeThatLeavesBetweenRenderingAndTheFeedsFirstMessageLeavesTheMap() {
    signInWith(plane.adminToken, "overview");
    // the page's EventSource connects only when the test says so: the page is rendered, then a-5 leaves the
    // filtered map, then the feed starts
    driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", """
        const RealEventSource = window.EventSource;
        window.EventSource = class {
          constructor(url) { this.url = url; this.listeners = []; window.heldFeed = this; }
          addEventListener(type, fn) { this.listeners.push([type, fn]); }
          close() { if (this.real) this.real.close(); }
        };
        window.releaseFeed = () => {
          const held = window.heldFeed, real = new RealEventSource(held.url);
          held.real = real;
          real.onopen = e => held.onopen && held.onopen(e);
          real.onerror = e => held.onerror && held.onerror(e);
          for (const [type, fn] of held.listeners) real.addEventListener(type, fn);
        };
        """));
    driver.get(plane.consoleUrl() + "fleet?ds=default/agent&label=zone%3Da");
    await().atMost(WAIT).until(() -> "true".equals(driver.executeScript(
        "return document.getElementById('fleet').dataset.built")));
    @SuppressWarnings("unchecked")
    List<String> rendered = (List<String>) driver.executeScript(
        "return Array.from(document.querySelectorAll('#fleet a'), a => a.dataset.n)");
    assertThat(rendered).contains("a-5");

    plane.kubectl("label", "node", "a-5", "zone=c", "--overwrite");
    await().atMost(WAIT).until(() -> "c".equals(plane.api("/api/v1/nodes/a-5").at("/metadata/labels/zone")
        .asText()));
    driver.executeScript("window.releaseFeed()");
    awaitLive();

    List<String> expected = new java.util.ArrayList<>(rendered);
    expected.remove("a-5");
    await().atMost(WAIT).untilAsserted(() -> assertThat(driver.executeScript(
        "return Array.from(document.querySelectorAll('#fleet a'), a => a.dataset.n)")).isEqualTo(expected));
    assertThat(driver.findElement(By.cssSelector("[data-count=u]")).getText())
        .isEqualTo(String.valueOf(expected.size()));
  }

  // ---- helpers ----

  /** The canvas pixel in the middle of a node's cell, as [r, g, b]. */
  private Object pixel(String node) {
    return driver.executeScript("const c = document.querySelector('.fleet-canvas'), a = document.querySelector("
        + "'#fleet a[data-n=\"' + arguments[0] + '\"]'), d = window.devicePixelRatio; return Array.from(c.getContext("
        + "'2d').getImageData(Math.round((a.offsetLeft + 5) * d), Math.round((a.offsetTop + 5) * d), 1, 1).data)"
        + ".slice(0, 3)", node);
  }

  private void signInWith(String token) {
    if (!driver.getCurrentUrl().endsWith("/console/login")) {
      driver.get(plane.consoleUrl() + "login");
    }
    WebElement field = driver.findElement(By.id("token"));
    field.clear();
    field.sendKeys(token);
    driver.findElement(By.id("sign-in")).click();
  }

  private void signInWith(String token, String page) {
    driver.manage().deleteAllCookies();
    driver.get(plane.consoleUrl() + "login");
    signInWith(token);
    // the click returns before the form's POST and its redirect have been followed: wait for the page it lands on
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(driver.getCurrentUrl())
        .endsWith("/console/overview"));
    driver.get(plane.consoleUrl() + page);
  }

  /**
   * How many cells have the class, counted in the page: findElements would make chromedriver clone a reference to
   * each of up to 5,000 cells in the page's main thread at every poll, long tasks of the test's own making.
   */
  private long count(String cssClass) {
    return (Long) driver.executeScript("return document.querySelectorAll('#fleet a.' + arguments[0]).length",
        cssClass);
  }

  /** The rollout bar's value and the counts of old and of updated cells, read in one script. */
  record MapState(long progress, long old, long updated) {}

  private MapState mapState() {
    @SuppressWarnings("unchecked")
    List<Long> values = (List<Long>) driver.executeScript("const q = s => document.querySelectorAll(s).length;"
        + "return [Math.floor(document.querySelector('progress[data-field=rollout]').value),"
        + " q('#fleet a.s-o'), q('#fleet a.s-u')]");
    return new MapState(values.get(0), values.get(1), values.get(2));
  }

  private List<WebElement> cells(String cssClass) {
    return driver.findElements(By.cssSelector("#fleet a." + cssClass));
  }

  private int progress(String attribute) {
    return Integer.parseInt(driver.findElement(By.cssSelector("progress[data-field=rollout]"))
        .getDomProperty(attribute).replaceAll("\\..*", ""));
  }

  private void awaitLive() {
    await().atMost(WAIT).until(() -> "on".equals(driver.findElement(By.id("live")).getAttribute("data-state")));
  }

  /** Submits a form built in the page, as a forger with the page's own cookies would. */
  private void postFromPage(String action, String csrf) {
    driver.executeScript("const f = document.createElement('form'); f.method = 'post'; f.action = arguments[0];"
        + "const i = document.createElement('input'); i.type = 'hidden'; i.name = 'csrf'; i.value = arguments[1];"
        + "f.appendChild(i); document.body.appendChild(f); f.submit();", action, csrf);
    await().atMost(WAIT).until(() -> driver.getCurrentUrl().endsWith(action));
  }

  private void awaitRolledOut(String image) {
    await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
      JsonNode ds = plane.api(DS_PATH);
      JsonNode status = ds.path("status");
      return status.path("observedGeneration").asLong() == ds.path("metadata").path("generation").asLong()
          && status.path("updatedNumberScheduled").asInt() == NODES && status.path("numberAvailable").asInt() == NODES
          && ds.at("/spec/template/spec/containers/0/image").asText().equals(image);
    });
  }

  static String daemonSet(String image) {
    return """
        apiVersion: apps/v1
        kind: DaemonSet
        metadata:
          name: agent
          namespace: default
        spec:
          selector:
            matchLabels: {app: agent}
          updateStrategy:
            type: RollingUpdate
            rollingUpdate: {maxUnavailable: 25%}
          template:
            metadata:
              labels: {app: agent}
            spec:
              containers:
              - name: c
                image: "IMAGE"
        """.replace("IMAGE", image);
  }
}
