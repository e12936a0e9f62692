package com.welcomedly.dialer.engine.leadimport;

import com.welcomedly.dialer.engine.CborSerializable;

/** A row that was not imported. Reasons never contain a full phone number. */
public record Rejection(int line, String reason) implements CborSerializable {}
