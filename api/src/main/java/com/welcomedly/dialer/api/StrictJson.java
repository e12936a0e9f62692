package com.welcomedly.dialer.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.KeyDeserializer;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.std.NumberDeserializers;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.welcomedly.dialer.engine.persistence.StorableText;
import java.io.IOException;
import java.util.Optional;
import java.util.Set;

/**
 * The one reader of request bodies (HTTP and WebSocket). Stricter than Jackson's defaults, because
 * each leniency was a way in:
 *
 * <ul>
 *   <li>no scalar coercion: {@code "id":123}, {@code "dnc":-1}, {@code "lines":"2"}, {@code ""} or
 *       {@code null} for a number or a flag are 400s, not "123", true, 2 or a silent default;
 *   <li>numbers are finite: {@code NaN}, {@code "NaN"}, {@code 1e999} are refused (a NaN abandon
 *       target would escape the 0–3 % compliance limit);
 *   <li>every string, map key included, is {@link StorableText storable}: no NUL, no control
 *       characters (notes and custom field values may hold TAB, CR and LF), no unpaired surrogates;
 *   <li>unknown fields, duplicate keys and trailing content after the document are errors.
 * </ul>
 *
 * Responses and the CBOR event serializer use other mappers and are unaffected.
 */
public final class StrictJson {

  /**
   * Free text typed into a text area (notes, the values of custom fields, as in a CSV's quoted
   * multi-line cells): TAB, CR and LF are allowed there, nowhere else.
   */
  private static final Set<String> MULTI_LINE_FIELDS = Set.of("notes", "customFields");

  /** A value this reader refuses; its message is the field-level reason shown to the client. */
  public static final class RefusedValue extends MismatchedInputException {
    RefusedValue(JsonParser p, String problem, Class<?> type) {
      super(p, problem, type);
    }
  }

  private StrictJson() {}

  private static boolean isMultiLine(String field) {
    return field != null && MULTI_LINE_FIELDS.contains(field);
  }

  public static ObjectMapper reader(ObjectMapper base) {
    ObjectMapper strict =
        base.copy()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
            .disable(DeserializationFeature.UNWRAP_SINGLE_VALUE_ARRAYS)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS);
    strict.getFactory().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION.mappedFeature());
    strict.getFactory().disable(JsonParser.Feature.ALLOW_NON_NUMERIC_NUMBERS);
    strict
        .coercionConfigDefaults()
        .setAcceptBlankAsEmpty(false)
        .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    for (LogicalType scalar :
        new LogicalType[] {LogicalType.Integer, LogicalType.Float, LogicalType.Boolean}) {
      strict.coercionConfigFor(scalar).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
      strict
          .coercionConfigFor(scalar)
          .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
    }
    strict
        .coercionConfigFor(LogicalType.Boolean)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
    SimpleModule module = new SimpleModule("strict-request-bodies");
    // An explicit null where a number or a flag belongs is a mistake, not "use the default":
    // leave the field out for that. (A config override with Nulls.FAIL would refuse absent record
    // components too, so the refusal sits in the deserializers' getNullValue instead.)
    module.addDeserializer(
        Integer.class,
        new NoExplicitNull<>(new NumberDeserializers.IntegerDeserializer(Integer.class, null)));
    module.addDeserializer(
        Long.class,
        new NoExplicitNull<>(new NumberDeserializers.LongDeserializer(Long.class, null)));
    module.addDeserializer(
        Boolean.class,
        new NoExplicitNull<>(new NumberDeserializers.BooleanDeserializer(Boolean.class, null)));
    module.addDeserializer(String.class, new StorableString());
    module.addKeyDeserializer(String.class, new StorableKey());
    module.addDeserializer(Double.class, new FiniteDouble(Double.class));
    module.addDeserializer(double.class, new FiniteDouble(double.class));
    strict.registerModule(module);
    return strict;
  }

  /** The field-level message for a parse failure this reader raised, if it was one of ours. */
  static Optional<String> ownMessage(Throwable e) {
    return e instanceof RefusedValue u ? Optional.of(u.getOriginalMessage()) : Optional.empty();
  }

  /** Strings only from JSON strings (never from numbers or booleans), and storable. */
  private static final class StorableString extends StdScalarDeserializer<String> {
    StorableString() {
      super(String.class);
    }

    @Override
    public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      if (!p.hasToken(JsonToken.VALUE_STRING)) {
        return (String) ctxt.handleUnexpectedToken(String.class, p);
      }
      String text = p.getText();
      JsonStreamContext parent = p.getParsingContext().getParent();
      boolean multiLine =
          isMultiLine(p.currentName()) || (parent != null && isMultiLine(parent.getCurrentName()));
      Optional<String> problem = StorableText.problem(text, multiLine);
      if (problem.isPresent()) {
        throw new RefusedValue(p, problem.get(), String.class);
      }
      return text;
    }
  }

  /** Map keys (custom fields) follow the same rule as values. */
  private static final class StorableKey extends KeyDeserializer {
    @Override
    public Object deserializeKey(String key, DeserializationContext ctxt) throws IOException {
      Optional<String> problem = StorableText.problem(key);
      if (problem.isPresent()) {
        throw new RefusedValue(ctxt.getParser(), "key " + problem.get(), String.class);
      }
      return key;
    }
  }

  /** A boxed scalar whose explicit {@code null} is refused; left out it stays null. */
  private static final class NoExplicitNull<T> extends StdDeserializer<T> {
    private final StdDeserializer<T> delegate;

    NoExplicitNull(StdDeserializer<T> delegate) {
      super(delegate.handledType());
      this.delegate = delegate;
    }

    @Override
    public T deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      return delegate.deserialize(p, ctxt);
    }

    @Override
    public T getNullValue(DeserializationContext ctxt) throws JsonMappingException {
      throw new RefusedValue(
          ctxt.getParser(), "must not be null; leave the field out instead", handledType());
    }

    @Override
    public Object getAbsentValue(DeserializationContext ctxt) {
      return null;
    }

    @Override
    public LogicalType logicalType() {
      return delegate.logicalType();
    }
  }

  /** Only JSON numbers, and only finite ones: 1e999 overflows to Infinity, so it is refused too. */
  private static final class FiniteDouble extends StdScalarDeserializer<Double> {
    FiniteDouble(Class<?> type) {
      super(type);
    }

    @Override
    public Double deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      if (!p.hasToken(JsonToken.VALUE_NUMBER_INT) && !p.hasToken(JsonToken.VALUE_NUMBER_FLOAT)) {
        return (Double) ctxt.handleUnexpectedToken(Double.class, p);
      }
      double value = p.getDoubleValue();
      if (!Double.isFinite(value)) {
        throw new RefusedValue(p, "must be a finite number", Double.class);
      }
      return value;
    }

    @Override
    public Double getNullValue(DeserializationContext ctxt) throws JsonMappingException {
      throw new RefusedValue(
          ctxt.getParser(), "must not be null; leave the field out instead", Double.class);
    }

    @Override
    public Object getAbsentValue(DeserializationContext ctxt) {
      return handledType() == double.class ? 0.0 : null;
    }
  }
}
