package io.daemonset.journal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;

/**
 * Makes Pekko's Jackson serializer leave out null properties, as the API's own mapper ({@code model.Json}) does.
 * Events embed API objects whose records have many optional fields: written with their nulls a pod admission was
 * 3.1 KB, about half of it {@code "field":null}. Reading is unchanged (an absent component is null), so events
 * written before this replay as they did. JSON trees (user objects kept as written) still keep their nulls.
 *
 * <p>Pekko configures its mappers from {@code pekko.serialization.jackson} settings, which have no property
 * inclusion; a module listed in {@code jackson-modules} is the hook it offers, and this one sets the inclusion on the
 * mapper that registers it.
 */
public final class OmitNullsModule extends SimpleModule {
  public OmitNullsModule() {
    super("daemonset-omit-nulls");
  }

  @Override
  public void setupModule(SetupContext context) {
    super.setupModule(context);
    ((ObjectMapper) context.getOwner()).setSerializationInclusion(JsonInclude.Include.NON_NULL);
  }
}
