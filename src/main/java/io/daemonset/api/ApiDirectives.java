package io.daemonset.api;

import io.daemonset.auth.Identity;

import static org.apache.pekko.http.javadsl.server.Directives.attribute;
import static org.apache.pekko.http.javadsl.server.Directives.complete;

import java.util.function.BiFunction;
import org.apache.pekko.http.javadsl.model.AttributeKey;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The seam between the API server shell and the resource routes. The shell authenticates, parses the request
 * into {@link RequestAttributes}, authorizes it, and attaches both to the request; resource routes read them
 * with {@link #apiRequest}, so they can dispatch on group/resource/verb without matching paths again:
 * <pre>{@code
 * Route nodes = ApiDirectives.apiRequest((who, req) ->
 *     req.resource().equals("nodes") && req.verb().equals("list")
 *         ? ApiDirectives.completeJson(200, nodeList)
 *         : Directives.reject());
 * }</pre>
 * Everything reaching these routes is authorized: resource requests (/api/..., /apis/...) and, for admin
 * endpoints, non-resource paths the shell does not serve itself ({@code req.resourceRequest()} is false).
 */
public final class ApiDirectives {
  /** Who is calling (set by the shell on every request it lets through). */
  public static final AttributeKey<Identity> IDENTITY = AttributeKey.create("daemonset-identity", Identity.class);
  /** What the request is (set by the shell on every request it lets through). */
  public static final AttributeKey<RequestAttributes> REQUEST =
      AttributeKey.create("daemonset-request", RequestAttributes.class);

  private ApiDirectives() {}

  /** Provides the authenticated identity and the parsed, authorized request to inner. */
  public static Route apiRequest(BiFunction<Identity, RequestAttributes, Route> inner) {
    return attribute(IDENTITY, identity -> attribute(REQUEST, request -> inner.apply(identity, request)));
  }

  /** A JSON body (model record or JsonNode). */
  public static Route completeJson(int code, Object body) {
    return complete(Responses.json(code, body));
  }

  /** The Status of e, with its code. */
  public static Route completeStatus(ApiException e) {
    return complete(Responses.status(e));
  }
}
