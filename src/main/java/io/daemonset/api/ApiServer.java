package io.daemonset.api;

import io.daemonset.auth.DataFiles;
import io.daemonset.auth.Kubeconfig;
import io.daemonset.auth.Identity;
import io.daemonset.auth.ClusterCa;
import io.daemonset.auth.Pki;
import io.daemonset.auth.ServerCipherSuites;
import io.daemonset.auth.TokenFile;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.entity;
import static org.apache.pekko.http.javadsl.server.Directives.extractRequest;
import static org.apache.pekko.http.javadsl.server.Directives.mapRequest;
import static org.apache.pekko.http.javadsl.server.Directives.onSuccess;
import static org.apache.pekko.http.javadsl.server.Directives.reject;
import static org.apache.pekko.http.javadsl.server.Directives.respondWithHeader;
import static org.apache.pekko.http.javadsl.server.Directives.withRequestTimeoutResponse;
import static org.apache.pekko.http.javadsl.server.Directives.withSizeLimit;

import io.daemonset.api.ApiResources.GroupVersion;
import io.daemonset.api.Authorizer.Decision;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.ConnectionContext;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.ServerBuilder;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API server shell: TLS, bearer-token authentication, authorization, health, /version, discovery, OpenAPI
 * and Status errors, in front of pluggable resource routes.
 * <p>Request pipeline (each step answers with a Status when it stops the request):
 * <ol>
 *   <li>/healthz, /livez, /readyz (and sub-paths): "ok", no authentication;</li>
 *   <li>authentication: {@code Authorization: Bearer <token>} looked up in tokens.csv, 401 when unknown; without a
 *       header: 401, except /version (anonymous, as upstream's public-info-viewer) and the plain-HTTP loopback
 *       listener ({@link Identity#INSECURE_LOOPBACK});</li>
 *   <li>{@link RequestInfo#parse} then {@link Authorizer#decide}: 403 with upstream's message when denied;</li>
 *   <li>built-ins: /version, /api, /apis, /api/v1, /apis/G, /apis/G/V, /openapi/v3[/...], /openapi/v2 (404);</li>
 *   <li>everything else goes to the pluggable routes with {@link ApiDirectives#IDENTITY} and
 *       {@link ApiDirectives#REQUEST} attached, bodies limited to {@link ApiSettings#maxRequestBytes} (413), watches
 *       exempt from the request timeout; whatever they reject becomes a Status (404 when nothing matched). Besides
 *       resource requests these may be admin paths (e.g. /metrics, /audit): non-resource requests, which the
 *       standard authorizer lets only system:masters reach.</li>
 * </ol>
 */
public final class ApiServer {
  private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
  /**
   * Connections stay open this long without traffic: longer than the longest watch (kube-apiserver ends watches
   * after 30 to 60 minutes), since a quiet watch sends nothing and pekko-http's idle timeout is per connection.
   */
  static final Duration WATCH_IDLE_TIMEOUT = Duration.ofMinutes(65);
  /** pekko-http's default request-timeout, for routes built without a configuration. */
  static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(20);

  private final ApiSettings settings;
  private final ServerBinding binding;
  private final Pki pki;
  private final ClusterCa clusterCa;
  private final TokenFile tokens;
  private final String url;
  private final Path kubeconfigPath;

  private ApiServer(ApiSettings settings, ServerBinding binding, Pki pki, ClusterCa clusterCa, TokenFile tokens,
                    String url, Path kubeconfigPath) {
    this.settings = settings;
    this.binding = binding;
    this.pki = pki;
    this.clusterCa = clusterCa;
    this.tokens = tokens;
    this.url = url;
    this.kubeconfigPath = kubeconfigPath;
  }

  /** Starts with the standard authorizer. */
  public static CompletionStage<ApiServer> start(ActorSystem<?> system, ApiSettings settings, Route resourceRoutes) {
    return start(system, settings, Authorizer.standard(), resourceRoutes);
  }

  /**
   * Creates or loads the certificates and tokens in the data directory, binds, then writes the kubeconfig for the
   * bound address. Completes when the server accepts connections.
   */
  public static CompletionStage<ApiServer> start(ActorSystem<?> system, ApiSettings settings, Authorizer authorizer,
                                                 Route resourceRoutes) {
    return start(system, settings, authorizer, Pki.loadOrCreate(settings.dataDir(), settings.extraSans()),
        resourceRoutes, null);
  }

  /** As {@link #start(ActorSystem, ApiSettings, Authorizer, Route)}, serving the given certificates (an operator's). */
  public static CompletionStage<ApiServer> start(ActorSystem<?> system, ApiSettings settings, Authorizer authorizer,
                                                 Pki pki, Route resourceRoutes) {
    return start(system, settings, authorizer, pki, resourceRoutes, null);
  }

  /**
   * As {@link #start(ActorSystem, ApiSettings, Authorizer, Route)}, with routes that sign people in their own way
   * (the console) tried before bearer-token authentication; front may be null.
   */
  public static CompletionStage<ApiServer> start(ActorSystem<?> system, ApiSettings settings, Authorizer authorizer,
                                                 Route resourceRoutes, ApiFront.Routes front) {
    return start(system, settings, authorizer, Pki.loadOrCreate(settings.dataDir(), settings.extraSans()),
        resourceRoutes, front);
  }

  /** The server with its certificates, its resource routes and, if not null, routes signing people in their way. */
  public static CompletionStage<ApiServer> start(ActorSystem<?> system, ApiSettings settings, Authorizer authorizer,
                                                 Pki pki, Route givenRoutes, ApiFront.Routes front) {
    TokenFile tokens = TokenFile.loadOrCreate(settings.dataDir());
    // the CA that signs agents' serving certificates and this server's client certificate for reaching them
    ClusterCa clusterCa = ClusterCa.loadOrCreate(settings.dataDir());
    AgentConnections agents = new AgentConnections(clusterCa.kubeletClientContext());
    Route resourceRoutes = withAgentConnections(agents, givenRoutes);
    InFlightLimit limit = InFlightLimit.from(system.settings().config());
    Route frontRoute = front == null ? null
        : front.create(new ApiFront(tokens, authorizer, settings, asIdentity(system, settings, authorizer, resourceRoutes, limit)));
    // the cluster's app-version: the build's, or DS_APP_VERSION (ControlPlaneConfig), as sharding sees it
    String version = system.settings().config().getString("pekko.cluster.app-version");
    Route route = routes(settings, tokens, authorizer, resourceRoutes, frontRoute, limit, version,
        RequestTimeouts.configured(system.settings().config()));
    ServerBuilder builder = Http.get(system).newServerAt(settings.bindHost(), settings.port())
        .adaptSettings(server -> server.withTimeouts(server.getTimeouts().withIdleTimeout(
                scala.concurrent.duration.Duration.create(WATCH_IDLE_TIMEOUT.toSeconds(), TimeUnit.SECONDS)))
            // kubectl asks for OpenAPI v2 as application/com.github.proto-openapi.spec.v2@v1.0+protobuf, which is
            // no valid media range: no warning each time (the raw header is still read, see builtIn)
            .withParserSettings(server.getParserSettings().withIllegalHeaderWarnings(false))
            // HTTP/2 offered by ALPN over TLS: a fleet's agents multiplex on one connection, less CPU per request than
            // HTTP/1.1 (docs/performance.md, "h2x9"); bodies up to 32 KiB arrive strict (no stream to collect them)
            .withEnableHttp2(!settings.plainHttp())
            .withHttp2Settings(server.getHttp2Settings().withMinCollectStrictEntitySize(32 * 1024)));
    if (!settings.plainHttp()) {
      javax.net.ssl.SSLContext tls = pki.serverSslContext();
      // the suites' order is the server's (ServerCipherSuites: ChaCha20 first when AES-GCM runs as plain Java)
      builder = builder.enableHttps(ConnectionContext.httpsServer(() -> ServerCipherSuites.serverEngine(tls)));
    }
    return builder.bind(route).thenApply(binding -> {
      int port = binding.localAddress().getPort();
      String url = Kubeconfig.serverUrl(!settings.plainHttp(), settings.bindHost(), port);
      Path kubeconfig = settings.dataDir().resolve(Kubeconfig.FILE_NAME);
      Kubeconfig.write(kubeconfig, url, settings.plainHttp() ? null : pki.caPem(), kubeconfigUsers(tokens));
      LOG.info("API server listening on {} (kubeconfig {}){}", url, kubeconfig, settings.plainHttp() ? ""
          : ServerCipherSuites.prefersChaCha20() ? "; TLS prefers ChaCha20-Poly1305 (no C2: AES-GCM is plain Java)"
          : "; TLS keeps the JDK's cipher order");
      return new ApiServer(settings, binding, pki, clusterCa, tokens, url, kubeconfig);
    });
  }

  /** A request not answered within the request timeout: 504 with a Status (what the HTTP/1.1 timer answers too). */
  private static HttpResponse timeoutAnswer() {
    return TIMEOUT_ANSWER;
  }

  /** Built once: an HTTP/2 request's timer holds it (RequestTimeouts), and most requests are not timed out. */
  private static final HttpResponse TIMEOUT_ANSWER =
      Responses.status(ApiException.timeout("request did not complete within the allotted timeout"));

  /** The resource routes, told how to reach node agents ({@link AgentConnections}). */
  private static Route withAgentConnections(AgentConnections agents, Route resourceRoutes) {
    return mapRequest(request -> request.addAttribute(AgentConnections.KEY, agents), () -> resourceRoutes);
  }

  /** The whole sealed route, without binding (for tests and for composing into another server). */
  public static Route routes(ApiSettings settings, TokenFile tokens, Authorizer authorizer, Route resourceRoutes) {
    return routes(settings, tokens, authorizer, resourceRoutes, null,
        new InFlightLimit(InFlightLimit.DEFAULT_NODES, InFlightLimit.DEFAULT_OTHERS),
        io.daemonset.model.Release.runningVersion().orElse("0.0.0"), Optional.of(DEFAULT_REQUEST_TIMEOUT));
  }

  /**
   * Every answer names the server's version in {@link io.daemonset.model.Release#HEADER} (errors and health checks
   * too): an agent learns of version skew from any answer, without a request of its own.
   */
  static Route routes(ApiSettings settings, TokenFile tokens, Authorizer authorizer, Route resourceRoutes,
                      Route front, InFlightLimit limit, String version, Optional<Duration> requestTimeout) {
    RawHeader versionHeader = RawHeader.create(io.daemonset.model.Release.HEADER, version);
    // Built once: the supplier runs for every request, and sealing builds the rejection handler, which renders
    // its fixed answers (a 404 Status as JSON among them) as it is built (1.7% of a converge's CPU samples).
    Route sealed = sealed(settings, tokens, authorizer, resourceRoutes, front, limit, requestTimeout);
    return respondWithHeader(versionHeader, () -> sealed);
  }

  private static Route sealed(ApiSettings settings, TokenFile tokens, Authorizer authorizer, Route resourceRoutes,
                              Route front, InFlightLimit limit, Optional<Duration> requestTimeout) {
    Route withKeys = withNodeKeys(tokens, resourceRoutes);
    // Built once: a javadsl directive calls its inner route's supplier for every request, so whatever the supplier
    // builds (here the concatenation, the health route, the authentication step) would be built per request.
    Route pipeline = concat(health(), front == null ? reject() : front, extractRequest(request -> authenticate(
        request, settings, tokens, identity -> authorizeAndDispatch(request, identity, settings, authorizer,
            withKeys, limit, requestTimeout))));
    Route timed = withRequestTimeoutResponse(request -> timeoutAnswer(), () -> pipeline);
    // an HTTP/2 request has no pekko-http timer (RequestTimeouts): it is timed where it reaches the resources
    Route inner = extractRequest(request -> RequestTimeouts.timedByServer(request) ? timed : pipeline);
    return inner.seal(ErrorHandling.rejectionHandler(), ErrorHandling.exceptionHandler(settings.maxRequestBytes()));
  }

  /** The resource routes, told the node credentials that sign exec tickets ({@link PodExec}). */
  private static Route withNodeKeys(TokenFile tokens, Route resourceRoutes) {
    PodExec.NodeKeys keys = tokens::nodeKey;
    return mapRequest(request -> request.addAttribute(PodExec.NODE_KEYS, keys), () -> resourceRoutes);
  }

  /** Set only in-process by {@link #asIdentity}: a request from the wire never carries it. */
  private static final org.apache.pekko.http.javadsl.model.AttributeKey<Identity> FRONT_IDENTITY =
      org.apache.pekko.http.javadsl.model.AttributeKey.create("front-identity", Identity.class);

  /** The pipeline after authentication, for an identity a front route authenticated (see {@link ApiFront}). */
  private static ApiFront.AsIdentity asIdentity(ActorSystem<?> system, ApiSettings settings, Authorizer authorizer,
                                                Route resourceRoutes, InFlightLimit limit) {
    Route route = extractRequest(request -> authorizeAndDispatch(request,
        request.getAttribute(FRONT_IDENTITY).orElseThrow(), settings, authorizer, resourceRoutes, limit,
        RequestTimeouts.configured(system.settings().config())))
        .seal(ErrorHandling.rejectionHandler(), ErrorHandling.exceptionHandler(settings.maxRequestBytes()));
    org.apache.pekko.japi.function.Function<HttpRequest, CompletionStage<HttpResponse>> handler = route.handler(system);
    return (identity, request) -> {
      try {
        return handler.apply(request.addAttribute(FRONT_IDENTITY, identity));
      } catch (Exception e) {
        return java.util.concurrent.CompletableFuture.failedFuture(e);
      }
    };
  }

  public int port() {
    return binding.localAddress().getPort();
  }

  /** https://127.0.0.1:PORT (or http:// on the plain loopback listener). */
  public String url() {
    return url;
  }

  public ApiSettings settings() {
    return settings;
  }

  public Pki pki() {
    return pki;
  }

  /** The CA that signs node agents' serving certificates. */
  public ClusterCa clusterCa() {
    return clusterCa;
  }

  public TokenFile tokens() {
    return tokens;
  }

  public Path kubeconfigPath() {
    return kubeconfigPath;
  }

  public ServerBinding binding() {
    return binding;
  }

  /** Stops accepting, lets in-flight requests finish for up to 5 s. */
  public CompletionStage<Done> stop() {
    return binding.terminate(Duration.ofSeconds(5)).thenApply(terminated -> Done.getInstance());
  }

  // ---- pipeline steps ----

  private static final List<String> HEALTH_ENDPOINTS = List.of("/healthz", "/livez", "/readyz");

  private static Route health() {
    Route ok = complete(HttpResponse.create().withEntity(Responses.TEXT, "ok".getBytes(StandardCharsets.UTF_8)));
    Route notHealth = reject();
    return extractRequest(request -> isHealthCheck(request) ? ok : notHealth);
  }

  /** GET or HEAD of /healthz, /livez, /readyz or a path below them (e.g. /readyz/ping). */
  static boolean isHealthCheck(HttpRequest request) {
    String method = request.method().value();
    if (!method.equals("GET") && !method.equals("HEAD")) {
      return false; // the path is not rendered for the writes and most reads
    }
    String path = request.getUri().path();
    for (String endpoint : HEALTH_ENDPOINTS) {
      if (path.startsWith(endpoint) && (path.length() == endpoint.length() || path.charAt(endpoint.length()) == '/')) {
        return true;
      }
    }
    return false;
  }

  private static Route authenticate(HttpRequest request, ApiSettings settings, TokenFile tokens,
                                    Function<Identity, Route> inner) {
    Optional<String> header = request.getHeader("Authorization").map(HttpHeader::value);
    if (header.isPresent()) {
      String value = header.get().trim();
      if (value.regionMatches(true, 0, "Bearer ", 0, 7)) {
        // Usually answered at once; a node credential another member issued a moment ago may take a few hundred
        // milliseconds to reach this member (TokenFile.authenticateSoon).
        java.util.concurrent.CompletableFuture<Optional<Identity>> identity =
            tokens.authenticateSoon(value.substring(7).trim()).toCompletableFuture();
        // a known token is answered at once: no Scala future and onSuccess directive for it
        return identity.isDone() && !identity.isCompletedExceptionally() ? authenticated(identity.join(), inner)
            : onSuccess(identity, found -> authenticated(found, inner));
      }
      return unauthorized();
    }
    if (settings.plainHttp()) {
      return inner.apply(Identity.INSECURE_LOOPBACK);
    }
    if (request.getUri().path().equals("/version")) {
      return inner.apply(Identity.ANONYMOUS);
    }
    return unauthorized();
  }

  private static Route authenticated(Optional<Identity> identity, Function<Identity, Route> inner) {
    return identity.map(found -> inner.apply(found.authenticated())).orElseGet(ApiServer::unauthorized);
  }

  private static Route unauthorized() {
    return complete(Responses.status(ApiException.unauthorized()));
  }

  private static Route authorizeAndDispatch(HttpRequest request, Identity identity, ApiSettings settings,
                                            Authorizer authorizer, Route resourceRoutes, InFlightLimit limit,
                                            Optional<Duration> requestTimeout) {
    // the path rendered once: every getUri().path() renders it again (the health check renders it too)
    String path = request.getUri().path();
    RequestAttributes attributes = RequestInfo.parse(request.method().value(), path, request.getUri().query().toMap());
    Decision decision = authorizer.decide(identity, attributes);
    if (!decision.allowed()) {
      LOG.debug("forbidden: {} {} {}: {}", identity.user(), attributes.verb(), attributes.path(), decision.reason());
      return complete(Responses.status(ApiException.forbidden(identity, attributes)));
    }
    if (Reviews.isReview(path)) {
      return withSizeLimit(settings.maxRequestBytes(), () -> entity(Unmarshaller.entityToByteArray(),
          body -> complete(Responses.json(201, Reviews.answer(request.method().value(), path,
              request.entity().getContentType().mediaType().toString(), body, identity, authorizer)))));
    }
    Optional<HttpResponse> builtIn = builtIn(request.method().value(), path,
        Responses.accept(request), request.getUri().query().get("hash").orElse(null));
    if (builtIn.isPresent()) {
      return complete(builtIn.get());
    }
    Supplier<Route> resources = attributes.verb().equals("watch")
        ? () -> RequestTimeouts.without(request, () -> resourceRoutes)
        : RequestTimeouts.timedByServer(request) || requestTimeout.isEmpty() ? () -> resourceRoutes
        : () -> RequestTimeouts.within(requestTimeout.get(), timeoutAnswer(), () -> resourceRoutes);
    return limit.limit(identity, attributes, () -> mapRequest(r -> r.addAttribute(ApiDirectives.IDENTITY, identity)
            .addAttribute(ApiDirectives.REQUEST, attributes),
        () -> bodyLimit(request, settings.maxRequestBytes(), resources)));
  }

  private static Route bodyLimit(HttpRequest request, long limit, Supplier<Route> inner) {
    OptionalLong declared = request.entity().getContentLengthOption();
    if (declared.isPresent() && declared.getAsLong() > limit) {
      return complete(Responses.status(ApiException.requestEntityTooLarge(limit)));
    }
    return withSizeLimit(limit, inner);
  }

  /**
   * The endpoints the shell answers itself; empty for anything else. Pure (no I/O), so it can be tested
   * without a server.
   */
  static Optional<HttpResponse> builtIn(String method, String rawPath, String accept, String hash) {
    if (!method.equals("GET") && !method.equals("HEAD")) {
      return Optional.empty();
    }
    String path = rawPath.length() > 1 && rawPath.endsWith("/") ? rawPath.substring(0, rawPath.length() - 1)
        : rawPath;
    switch (path) {
      case "/version":
        return Optional.of(Responses.json(200, Discovery.version()));
      case "/api":
      case "/apis": {
        boolean core = path.equals("/api");
        Optional<String> aggregated = Responses.aggregatedDiscoveryVersion(accept);
        if (aggregated.isPresent()) {
          return Optional.of(Responses.json(200, Discovery.aggregated(core, aggregated.get()),
              Responses.aggregatedDiscoveryContentType(aggregated.get())));
        }
        return Optional.of(Responses.json(200, core ? Discovery.apiVersions() : Discovery.apiGroupList()));
      }
      case "/openapi/v3":
        return Optional.of(Responses.json(200, OpenApi.index()));
      default:
        break;
    }
    if (path.equals("/openapi/v2")) {
      // kubectl asks for the gnostic protobuf (Accept: ...spec.v2@v1.0+protobuf); the answer's type is kube-openapi's
      // "@"-less form, which Go's mime parser accepts. JSON only to a client that asks for JSON and not protobuf.
      boolean json = accept != null && accept.contains("json") && !accept.contains("protobuf");
      return Optional.of(json
          ? HttpResponse.create().withEntity(Responses.JSON, OpenApi.v2Json().getBytes(StandardCharsets.UTF_8))
          : HttpResponse.create().withEntity(org.apache.pekko.http.javadsl.model.ContentTypes.create(
              org.apache.pekko.http.javadsl.model.MediaTypes.applicationBinary(
                  "com.github.proto-openapi.spec.v2.v1.0+protobuf", false)), OpenApi.v2Protobuf()));
    }
    if (path.startsWith("/openapi/v2/")) {
      return Optional.of(Responses.status(ApiException.pathNotFound()));
    }
    if (path.startsWith("/openapi/v3/")) {
      String docPath = path.substring("/openapi/v3/".length());
      return Optional.of(OpenApi.document(docPath)
          .map(doc -> {
            HttpResponse response = HttpResponse.create().withStatus(StatusCodes.OK)
                .withEntity(Responses.JSON, doc.json().getBytes(StandardCharsets.UTF_8));
            return doc.hash().equals(hash)
                ? response.addHeader(RawHeader.create("Cache-Control", "public, immutable"))
                : response.addHeader(RawHeader.create("Cache-Control", "no-cache, private"));
          })
          .orElseGet(() -> Responses.status(ApiException.pathNotFound())));
    }
    for (GroupVersion gv : ApiResources.GROUP_VERSIONS) {
      if (path.equals("/" + gv.path())) {
        return Optional.of(Responses.json(200, Discovery.apiResourceList(gv)));
      }
    }
    if (path.equals("/apis/" + MetricsApi.GROUP_VERSION)) {
      return Optional.of(Responses.json(200, MetricsApi.apiResourceList()));
    }
    if (path.equals("/apis/" + MetricsApi.GROUP)) {
      return Optional.of(Responses.json(200, MetricsApi.apiGroup()));
    }
    if (path.startsWith("/apis/")) {
      String group = path.substring("/apis/".length()).toLowerCase(Locale.ROOT);
      List<GroupVersion> versions = ApiResources.groups().getOrDefault(group, new ArrayList<>());
      if (!versions.isEmpty()) {
        return Optional.of(Responses.json(200, Discovery.apiGroup(group, versions)));
      }
    }
    return Optional.empty();
  }

  private static List<Kubeconfig.User> kubeconfigUsers(TokenFile tokens) {
    List<Kubeconfig.User> users = new ArrayList<>();
    tokens.tokenFor(TokenFile.ADMIN_USER).ifPresent(t -> users.add(new Kubeconfig.User(TokenFile.ADMIN_USER, t)));
    tokens.tokenFor(TokenFile.VIEWER_USER).ifPresent(t -> users.add(new Kubeconfig.User(TokenFile.VIEWER_USER, t)));
    if (users.isEmpty()) {
      tokens.entries().stream().filter(e -> e.identity().inGroup(Identity.MASTERS)).findFirst()
          .ifPresent(e -> users.add(new Kubeconfig.User(e.identity().user(), e.token())));
    }
    if (users.isEmpty()) {
      throw new IllegalStateException("tokens.csv has no admin, viewer or system:masters token for the kubeconfig");
    }
    return users;
  }
}
