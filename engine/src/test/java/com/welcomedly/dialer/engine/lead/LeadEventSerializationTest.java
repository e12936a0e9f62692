package com.welcomedly.dialer.engine.lead;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializers;
import org.apache.pekko.serialization.jackson.JacksonObjectMapperProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Lead's connect event through the journal's binding (Jackson CBOR): the {@code late} field
 * round-trips, and an event written before the field existed reads as an on-time connect.
 */
@ExtendWith(LogCapturingExtension.class)
class LeadEventSerializationTest {
  static final ActorTestKit testKit =
      ActorTestKit.create("LeadEventSerializationTest", ConfigFactory.load("application-test"));

  private static final Instant AT = Instant.parse("2026-12-02T15:00:00Z");

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void aLateConnectRoundTrips() {
    Lead.AgentConnected late = new Lead.AgentConnected("l-1", "c-1", "a-1", "agent-1", true, AT);
    testKit.serializationTestKit().verifySerialization(late, true);
    assertTrue(roundTrip(late).late());
  }

  @Test
  void aConnectEventWrittenBeforeTheLateFieldReadsAsOnTime() throws Exception {
    Lead.AgentConnected current = new Lead.AgentConnected("l-1", "c-1", "a-1", "agent-1", AT);
    Serialization serialization = SerializationExtension.get(testKit.system());
    var serializer = serialization.findSerializerFor(current);
    String manifest = Serializers.manifestFor(serializer, current);
    // The event as journalled before the field: the same CBOR object without "late".
    Map<String, Object> old = new LinkedHashMap<>();
    old.put("leadId", "l-1");
    old.put("campaignId", "c-1");
    old.put("attemptId", "a-1");
    old.put("agentId", "agent-1");
    old.put("at", AT.toString());
    ObjectMapper cbor =
        JacksonObjectMapperProvider.get(testKit.system())
            .getOrCreate("jackson-cbor", Optional.empty());
    byte[] bytes = cbor.writeValueAsBytes(old);
    Lead.AgentConnected read =
        (Lead.AgentConnected)
            serialization.deserialize(bytes, serializer.identifier(), manifest).get();
    assertFalse(read.late());
    assertEquals(current, read);
  }

  private static Lead.AgentConnected roundTrip(Lead.AgentConnected event) {
    Serialization serialization = SerializationExtension.get(testKit.system());
    var serializer = serialization.findSerializerFor(event);
    byte[] bytes = serializer.toBinary(event);
    return (Lead.AgentConnected)
        serialization
            .deserialize(bytes, serializer.identifier(), Serializers.manifestFor(serializer, event))
            .get();
  }
}
