package io.daemonset.model;

import java.util.List;

/** HTTP GET probe: a 2xx or 3xx answer means success. */
public record HttpGetAction(String path, IntOrString port, String host, String scheme, List<HttpHeader> httpHeaders) {}
