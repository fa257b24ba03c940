package io.daemonset.api;

import io.daemonset.auth.Identity;
import io.daemonset.auth.TokenFile;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;

/**
 * What the API server lends to routes served on its port that sign people in their own way (the admin console,
 * with a session cookie instead of a bearer token): the token file to check a sign-in against, the authorizer to
 * ask before showing anything, and the API itself, callable as an already authenticated identity.
 *
 * @param tokens the server's tokens.csv
 * @param authorizer the same rules the API applies to bearer tokens
 * @param settings the server's settings (whether it speaks TLS)
 * @param api the API's own pipeline after authentication: authorization, built-ins, resource routes, Status errors;
 *     an action taken here is exactly the request a kubectl user of that identity would send
 */
public record ApiFront(TokenFile tokens, Authorizer authorizer, ApiSettings settings, AsIdentity api) {

  /** Calls the API in-process as an identity that the caller has authenticated itself. */
  @FunctionalInterface
  public interface AsIdentity {
    CompletionStage<HttpResponse> call(Identity identity, HttpRequest request);
  }

  /** Builds the front routes once the server knows its tokens. */
  @FunctionalInterface
  public interface Routes {
    org.apache.pekko.http.javadsl.server.Route create(ApiFront front);
  }

  /** Whether identity may do what an API request with this method, path and query would do. */
  public boolean allowed(Identity identity, String method, String path, java.util.Map<String, String> query) {
    return authorizer.decide(identity, RequestInfo.parse(method, path, query)).allowed();
  }
}
