package com.welcomedly.dialer.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.marshallers.jackson.Jackson;
import org.apache.pekko.http.javadsl.marshalling.Marshaller;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.RequestEntity;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;
import org.apache.pekko.serialization.jackson.JacksonObjectMapperProvider;

/**
 * JSON for the API: Pekko's configured mapper (the "jackson-json" binding), shared by all routes.
 */
public final class Json {

  private Json() {}

  public static ObjectMapper mapper(ActorSystem<?> system) {
    return JacksonObjectMapperProvider.get(system).getOrCreate("jackson-json", Optional.empty());
  }

  public static <T> Marshaller<T, RequestEntity> marshaller(ActorSystem<?> system) {
    return Jackson.marshaller(mapper(system));
  }

  /**
   * Lenient Jackson reading, for trusted JSON only (e.g. test clients). Request bodies go through
   * {@link RequestBodies} ({@link StrictJson} rules, 415 on a wrong Content-Type, null refused).
   */
  public static <T> Unmarshaller<HttpEntity, T> unmarshaller(ActorSystem<?> system, Class<T> type) {
    return Jackson.unmarshaller(mapper(system), type);
  }
}
