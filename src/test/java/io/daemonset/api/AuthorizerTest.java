package io.daemonset.api;

import io.daemonset.auth.Identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AuthorizerTest {
  static final Identity ADMIN = new Identity("admin", "u1", Set.of(Identity.MASTERS)).authenticated();
  static final Identity VIEWER = new Identity("viewer", "u2", Set.of(Identity.VIEWERS)).authenticated();
  static final Identity NODE = Identity.node("node-1", "u3").authenticated();
  static final Identity NOBODY = new Identity("bob", "u4", Set.of()).authenticated();
  static final Identity BOOTSTRAP = new Identity("system:bootstrap:abcdef", "u7", Set.of(Identity.BOOTSTRAPPERS))
      .authenticated();

  static Stream<Arguments> cases() {
    return Stream.of(
        // masters: anything
        Arguments.of(ADMIN, res("delete", "apps", "daemonsets", "", "default", "x"), true),
        Arguments.of(ADMIN, res("update", "", "nodes", "status", "", "n1"), true),
        Arguments.of(ADMIN, RequestAttributes.nonResource("post", "/anything"), true),
        // viewers: get/list/watch only
        Arguments.of(VIEWER, res("get", "apps", "daemonsets", "", "default", "x"), true),
        Arguments.of(VIEWER, res("list", "", "nodes", "", "", ""), true),
        Arguments.of(VIEWER, res("watch", "", "pods", "", "default", ""), true),
        Arguments.of(VIEWER, res("get", "", "pods", "log", "default", "p"), true),
        Arguments.of(VIEWER, res("patch", "apps", "daemonsets", "", "default", "x"), false),
        Arguments.of(VIEWER, res("create", "apps", "daemonsets", "", "default", ""), false),
        Arguments.of(VIEWER, res("delete", "apps", "daemonsets", "", "default", "x"), false),
        Arguments.of(VIEWER, res("deletecollection", "", "pods", "", "default", ""), false),
        Arguments.of(VIEWER, res("update", "apps", "daemonsets", "status", "default", "x"), false),
        // discovery: any authenticated identity may GET it, nothing else
        Arguments.of(NOBODY, RequestAttributes.nonResource("get", "/api"), true),
        Arguments.of(NOBODY, RequestAttributes.nonResource("get", "/apis/apps/v1"), true),
        Arguments.of(NOBODY, RequestAttributes.nonResource("get", "/openapi/v3/apis/apps/v1"), true),
        Arguments.of(NOBODY, RequestAttributes.nonResource("get", "/version"), true),
        Arguments.of(Identity.ANONYMOUS, RequestAttributes.nonResource("get", "/version"), true),
        Arguments.of(NOBODY, RequestAttributes.nonResource("post", "/api"), false),
        Arguments.of(NOBODY, RequestAttributes.nonResource("get", "/apiextra"), false),
        Arguments.of(NOBODY, RequestAttributes.nonResource("get", "/metrics"), false),
        Arguments.of(VIEWER, RequestAttributes.nonResource("get", "/apis"), true),
        Arguments.of(NOBODY, res("get", "apps", "daemonsets", "", "default", "x"), false),
        // node agents: read nodes and pods, write their own Node and its status, pod status and pod deletion
        // (the routes check the pod is bound to the node and a created Node is the agent's own)
        Arguments.of(NODE, res("get", "", "nodes", "", "", "node-2"), true),
        Arguments.of(NODE, res("list", "", "nodes", "", "", ""), true),
        Arguments.of(NODE, res("watch", "", "nodes", "", "", ""), true),
        Arguments.of(NODE, res("create", "", "nodes", "", "", ""), true),
        Arguments.of(NODE, res("update", "", "nodes", "", "", "node-1"), true),
        Arguments.of(NODE, res("patch", "", "nodes", "status", "", "node-1"), true),
        Arguments.of(NODE, res("update", "", "nodes", "status", "", "node-1"), true),
        Arguments.of(NODE, res("update", "", "nodes", "status", "", "node-2"), false),
        Arguments.of(NODE, res("patch", "", "nodes", "", "", "node-2"), false),
        Arguments.of(NODE, res("delete", "", "nodes", "", "", "node-1"), false),
        Arguments.of(NODE, res("deletecollection", "", "nodes", "", "", ""), false),
        Arguments.of(NODE, res("list", "", "pods", "", "", ""), true),
        Arguments.of(NODE, res("watch", "", "pods", "", "", ""), true),
        Arguments.of(NODE, res("get", "", "pods", "", "default", "p"), true),
        Arguments.of(NODE, res("update", "", "pods", "status", "default", "p"), true),
        Arguments.of(NODE, res("patch", "", "pods", "status", "default", "p"), true),
        Arguments.of(NODE, res("delete", "", "pods", "", "default", "p"), true),
        Arguments.of(NODE, res("create", "", "pods", "", "default", ""), false),
        Arguments.of(NODE, res("update", "", "pods", "", "default", "p"), false),
        Arguments.of(NODE, res("deletecollection", "", "pods", "", "default", ""), false),
        Arguments.of(NODE, res("get", "", "pods", "log", "default", "p"), false),
        Arguments.of(NODE, res("list", "apps", "daemonsets", "", "", ""), false),
        Arguments.of(NODE, res("create", "apps", "daemonsets", "", "default", ""), false),
        Arguments.of(NODE, res("list", "", "events", "", "", ""), false),
        Arguments.of(NODE, res("list", "apps", "controllerrevisions", "", "default", ""), false),
        Arguments.of(NODE, RequestAttributes.nonResource("get", "/api"), true),
        Arguments.of(NODE, RequestAttributes.nonResource("get", "/metrics"), false),
        Arguments.of(NODE, RequestAttributes.nonResource("post", Authorizer.NODE_CREDENTIALS_PATH), false),
        // bootstrap tokens: the exchange for a node credential, nothing else (not even discovery)
        Arguments.of(BOOTSTRAP, RequestAttributes.nonResource("post", Authorizer.NODE_CREDENTIALS_PATH), true),
        Arguments.of(BOOTSTRAP, RequestAttributes.nonResource("get", Authorizer.NODE_CREDENTIALS_PATH), false),
        Arguments.of(BOOTSTRAP, RequestAttributes.nonResource("get", "/api"), false),
        Arguments.of(BOOTSTRAP, RequestAttributes.nonResource("get", "/audit"), false),
        Arguments.of(BOOTSTRAP, res("list", "", "nodes", "", "", ""), false),
        Arguments.of(BOOTSTRAP, res("create", "", "nodes", "", "", ""), false),
        Arguments.of(BOOTSTRAP, res("create", "apps", "daemonsets", "", "default", ""), false),
        Arguments.of(ADMIN, RequestAttributes.nonResource("post", Authorizer.NODE_CREDENTIALS_PATH), true),
        Arguments.of(VIEWER, RequestAttributes.nonResource("post", Authorizer.NODE_CREDENTIALS_PATH), false),
        // a user named like a node but outside system:nodes is no node agent
        Arguments.of(new Identity("system:node:node-1", "u5", Set.of()).authenticated(),
            res("update", "", "nodes", "status", "", "node-1"), false),
        // the insecure loopback identity is a master
        Arguments.of(Identity.INSECURE_LOOPBACK, res("delete", "apps", "daemonsets", "", "default", "x"), true));
  }

  private static RequestAttributes res(String verb, String group, String resource, String sub, String ns,
                                       String name) {
    return RequestAttributes.resource(verb, group, resource, sub, ns, name);
  }

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @MethodSource("cases")
  void decides(Identity identity, RequestAttributes request, boolean allowed) {
    Authorizer.Decision decision = Authorizer.standard().decide(identity, request);
    assertThat(decision.allowed()).as(decision.reason()).isEqualTo(allowed);
    assertThat(decision.reason()).isNotBlank();
  }

  @Test
  void extraRuleIsConsultedBeforeTheDefaultDeny() {
    Authorizer withNodes = Authorizer.standard().withRule((identity, request) ->
        identity.nodeName().filter(n -> request.resource().equals("nodes") && request.name().equals(n))
            .map(n -> Authorizer.Decision.allow("a node may touch its own Node")));
    Identity agent = new Identity("system:node:node-1", "u6", Set.of("agents")).authenticated();
    assertThat(withNodes.decide(agent, res("update", "", "nodes", "status", "", "node-1")).allowed()).isFalse();
    Authorizer custom = Authorizer.standard().withRule((identity, request) ->
        identity.inGroup("agents") && request.resource().equals("nodes")
            ? Optional.of(Authorizer.Decision.allow("agents may touch nodes")) : Optional.empty());
    assertThat(custom.decide(agent, res("update", "", "nodes", "status", "", "node-2")).allowed()).isTrue();
    assertThat(Authorizer.standard().withRule((i, r) -> Optional.empty())
        .decide(VIEWER, res("delete", "", "pods", "", "default", "p")).allowed()).isFalse();
  }

  @Test
  void forbiddenMessagesHaveUpstreamsShape() {
    assertThat(ApiException.forbidden(VIEWER, res("patch", "apps", "daemonsets", "", "default", "x"))
        .status().message()).isEqualTo("daemonsets.apps \"x\" is forbidden: User \"viewer\" cannot patch resource "
        + "\"daemonsets\" in API group \"apps\" in the namespace \"default\"");
    assertThat(ApiException.forbidden(VIEWER, res("create", "", "pods", "", "default", "")).status().message())
        .isEqualTo("pods is forbidden: User \"viewer\" cannot create resource \"pods\" in API group \"\" in the "
            + "namespace \"default\"");
    assertThat(ApiException.forbidden(NODE, res("update", "", "nodes", "status", "", "node-1")).status().message())
        .isEqualTo("nodes \"node-1\" is forbidden: User \"system:node:node-1\" cannot update resource "
            + "\"nodes/status\" in API group \"\" at the cluster scope");
    assertThat(ApiException.forbidden(NOBODY, RequestAttributes.nonResource("get", "/metrics")).status().message())
        .isEqualTo("forbidden: User \"bob\" cannot get path \"/metrics\"");
    assertThat(ApiException.forbidden(VIEWER, res("delete", "apps", "daemonsets", "", "default", "x")).status())
        .satisfies(s -> {
          assertThat(s.code()).isEqualTo(403);
          assertThat(s.reason()).isEqualTo("Forbidden");
          assertThat(s.details().group()).isEqualTo("apps");
          assertThat(s.details().kind()).isEqualTo("daemonsets");
          assertThat(s.details().name()).isEqualTo("x");
        });
  }
}
