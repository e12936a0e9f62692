package com.welcomedly.dialer.engine.logging;

import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One JSON object per line (for log shippers), with the same phone-number masking as the text
 * format applied to the message, MDC values and stack trace.
 */
public final class JsonLineLayout extends LayoutBase<ILoggingEvent> {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final ThrowableProxyConverter throwableConverter = new ThrowableProxyConverter();

  @Override
  public void start() {
    throwableConverter.start();
    super.start();
  }

  @Override
  public String doLayout(ILoggingEvent event) {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("ts", Instant.ofEpochMilli(event.getTimeStamp()).toString());
    line.put("level", event.getLevel().toString());
    line.put("logger", event.getLoggerName());
    line.put("thread", event.getThreadName());
    line.put("msg", PhoneNumberMasking.mask(event.getFormattedMessage()));
    Map<String, String> mdc = event.getMDCPropertyMap();
    if (mdc != null && !mdc.isEmpty()) {
      Map<String, String> masked = new LinkedHashMap<>();
      mdc.forEach((k, v) -> masked.put(k, PhoneNumberMasking.mask(v)));
      line.put("mdc", masked);
    }
    if (event.getThrowableProxy() != null) {
      line.put("exception", PhoneNumberMasking.mask(throwableConverter.convert(event)));
    }
    try {
      return MAPPER.writeValueAsString(line) + CoreConstants.LINE_SEPARATOR;
    } catch (JsonProcessingException e) {
      return "{\"level\":\"ERROR\",\"msg\":\"unserialisable log event\"}"
          + CoreConstants.LINE_SEPARATOR;
    }
  }
}
