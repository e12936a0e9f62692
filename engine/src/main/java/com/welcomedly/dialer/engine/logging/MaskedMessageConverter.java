package com.welcomedly.dialer.engine.logging;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import com.welcomedly.dialer.engine.persistence.StorableText;

/**
 * {@code %maskedMsg}: the formatted log message with every phone number masked and every control
 * character escaped (CR, LF, ...), so text a client supplied (a path segment, a name) can never
 * start a forged log line.
 */
public final class MaskedMessageConverter extends MessageConverter {
  @Override
  public String convert(ILoggingEvent event) {
    return StorableText.forLog(PhoneNumberMasking.mask(super.convert(event)));
  }
}
