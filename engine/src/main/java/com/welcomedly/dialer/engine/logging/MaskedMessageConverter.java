package com.welcomedly.dialer.engine.logging;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/** {@code %maskedMsg}: the formatted log message with every phone number masked. */
public final class MaskedMessageConverter extends MessageConverter {
  @Override
  public String convert(ILoggingEvent event) {
    return PhoneNumberMasking.mask(super.convert(event));
  }
}
