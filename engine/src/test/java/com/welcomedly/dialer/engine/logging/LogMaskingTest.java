package com.welcomedly.dialer.engine.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.joran.spi.JoranException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Log lines as a real logback configuration writes them (the same conversion rules and layout as
 * the api module's logback.xml): no full phone number in text or JSON lines, nor in stack traces.
 */
class LogMaskingTest {

  private static final String NUMBER = "+15551234567";

  @Test
  void textLinesMaskMessagesArgumentsAndStackTraces() throws Exception {
    String out =
        logThrough(
            """
            <conversionRule conversionWord="maskedMsg" class="com.welcomedly.dialer.engine.logging.MaskedMessageConverter"/>
            <conversionRule conversionWord="maskedEx" class="com.welcomedly.dialer.engine.logging.MaskedThrowableConverter"/>
            <appender name="out" class="ch.qos.logback.core.OutputStreamAppender">
              <encoder><pattern>%level %maskedMsg%n%maskedEx</pattern></encoder>
            </appender>
            """);
    assertFalse(out.contains("5551234567"), out);
    assertTrue(out.contains("Dialing +*******4567 for lead L-1"), out);
    assertTrue(out.contains("Originate to PJSIP/*******4567@carrier rejected"), out);
    // A client-supplied value cannot start a forged line: CR/LF come out escaped.
    assertTrue(out.contains("INFO No user a\\r\\nERROR FAKE admin logged in\n"), out);
    assertFalse(out.contains("\nERROR FAKE"), out);
  }

  @Test
  void jsonLinesMaskMessagesAndStackTraces() throws Exception {
    String out =
        logThrough(
            """
            <appender name="out" class="ch.qos.logback.core.OutputStreamAppender">
              <encoder class="ch.qos.logback.core.encoder.LayoutWrappingEncoder">
                <layout class="com.welcomedly.dialer.engine.logging.JsonLineLayout"/>
              </encoder>
            </appender>
            """);
    assertFalse(out.contains("5551234567"), out);
    String[] lines = out.strip().split("\n");
    JsonNode first = new ObjectMapper().readTree(lines[0]);
    assertEquals("Dialing +*******4567 for lead L-1", first.get("msg").asText(), out);
    assertEquals(3, lines.length, out); // the CR/LF of the second message stay inside its JSON
    JsonNode second = new ObjectMapper().readTree(lines[2]);
    assertTrue(second.get("exception").asText().contains("PJSIP/*******4567@carrier"), out);
  }

  private static String logThrough(String appenderXml) throws JoranException {
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    String xml =
        "<configuration>"
            + appenderXml
            + "<root level=\"INFO\"><appender-ref ref=\"out\"/></root></configuration>";
    configurator.doConfigure(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    @SuppressWarnings("unchecked")
    OutputStreamAppender<Object> appender =
        (OutputStreamAppender<Object>)
            (Object) context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("out");
    appender.setOutputStream(buffer);
    // Joran could not start it without a stream; it starts now, writing into the buffer.
    appender.start();

    org.slf4j.Logger log = context.getLogger("dialer.test");
    log.info("Dialing {} for lead {}", NUMBER, "L-1");
    log.info("No user {}", "a\r\nERROR FAKE admin logged in");
    log.warn(
        "AMI action failed",
        new IllegalStateException("Originate to PJSIP/15551234567@carrier rejected"));
    context.stop();
    return buffer.toString(StandardCharsets.UTF_8);
  }
}
