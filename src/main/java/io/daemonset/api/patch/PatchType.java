package io.daemonset.api.patch;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The four patch media types kube-apiserver serves for PATCH (no apply-patch+cbor: that answers 415). */
public enum PatchType {
  JSON_PATCH("application/json-patch+json"),
  MERGE_PATCH("application/merge-patch+json"),
  STRATEGIC_MERGE_PATCH("application/strategic-merge-patch+json"),
  APPLY_PATCH("application/apply-patch+yaml");

  private final String mediaType;

  PatchType(String mediaType) {
    this.mediaType = mediaType;
  }

  public String mediaType() {
    return mediaType;
  }

  /** The type of a Content-Type header value; parameters ({@code ; charset=utf-8}) and case are ignored. */
  public static Optional<PatchType> fromContentType(String contentType) {
    if (contentType == null) {
      return Optional.empty();
    }
    String bare = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    return Arrays.stream(values()).filter(t -> t.mediaType.equals(bare)).findFirst();
  }

  /**
   * kube-apiserver's ValidatePatchOptions: an apply needs a fieldManager, no other patch may say force,
   * a fieldManager is at most 128 characters. Throws the 422 Invalid it answers.
   */
  public void validateOptions(String fieldManager, Boolean force) {
    if (this == APPLY_PATCH && (fieldManager == null || fieldManager.isEmpty())) {
      throw PatchException.invalidOption("fieldManager", "FieldValueRequired",
          "Required value: is required for apply patch");
    }
    if (this != APPLY_PATCH && force != null) {
      throw PatchException.invalidOption("force", "FieldValueForbidden",
          "Forbidden: may not be specified for non-apply patch");
    }
    if (fieldManager != null && fieldManager.length() > 128) {
      throw PatchException.invalidOption("fieldManager", "FieldValueTooLong",
          "Too long: may not be more than 128 bytes");
    }
  }

  static List<String> mediaTypes() {
    return Arrays.stream(values()).map(PatchType::mediaType).toList();
  }
}
