package io.rollcall.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaPropsOrArray;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaPropsOrBool;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A value against a CRD's structural {@code openAPIV3Schema}, with the API server's semantics:
 * a field that the schema does not declare is an error (server-side field validation
 * {@code Strict}) unless {@code x-kubernetes-preserve-unknown-fields} or
 * {@code additionalProperties} allows it; {@code x-kubernetes-int-or-string}, {@code nullable},
 * embedded resources and the uniqueness of {@code x-kubernetes-list-type} set and map lists are
 * honoured. {@code anyOf}/{@code oneOf}/{@code allOf}/{@code not} only validate values: inside
 * them a field is never unknown, as structural schemas declare every field outside them.
 *
 * {@code x-kubernetes-validations} are CEL rules ({@link CelRules}). Not checked: {@code default}
 * (the server fills it in; a manifest may leave it out).
 */
final class StructuralSchema {

    /** Fields of every object, top-level or embedded, that the API server checks itself rather than by the schema. */
    static final Set<String> IMPLICIT_FIELDS = Set.of("apiVersion", "kind", "metadata");

    /**
     * Where a value is checked: {@code structural} outside junctors (unknown fields are errors),
     * {@code patch} for a strategic-merge patch (required fields may be left to the patched object).
     */
    private record Scope(boolean structural, boolean patch) {
        Scope valuesOnly() {
            return new Scope(false, patch);
        }
    }

    private final List<String> problems = new ArrayList<>();
    private final Scope scope;

    private StructuralSchema(Scope scope) {
        this.scope = scope;
    }

    /** Every violation of {@code schema} by the fields of {@code object} other than {@code skip}, as "path: problem". */
    static List<String> validate(JsonNode object, JSONSchemaProps schema, boolean patch, Set<String> skip) {
        StructuralSchema check = new StructuralSchema(new Scope(true, patch));
        check.object(object, schema, "", skip);
        check.rules(object, schema, "", 0);
        return check.problems;
    }

    private List<String> branch(JsonNode value, JSONSchemaProps schema, String path) {
        StructuralSchema check = new StructuralSchema(scope.valuesOnly());
        check.value(value, schema, path);
        return check.problems;
    }

    private void value(JsonNode value, JSONSchemaProps s, String path) {
        int before = problems.size();
        if (value.isNull()) {
            // The API server drops a null it may not keep; the manifest would not say what it means.
            if (!Boolean.TRUE.equals(s.getNullable())) {
                problems.add(path + ": null, but the field is not nullable");
            }
            return;
        }
        if (Boolean.TRUE.equals(s.getXKubernetesIntOrString())) {
            if (!value.isIntegralNumber() && !value.isTextual()) {
                problems.add(path + ": must be an integer or a string, is " + describe(value));
                return;
            }
        } else if (s.getType() != null && !hasType(value, s.getType())) {
            problems.add(path + ": must be " + s.getType() + ", is " + describe(value));
            return;
        }
        enumeration(value, s, path);
        if (value.isNumber()) {
            number(value, s, path);
        } else if (value.isTextual()) {
            string(value.asText(), s, path);
        } else if (value.isObject()) {
            object(value, s, path, Set.of());
        } else if (value.isArray()) {
            array(value, s, path);
        }
        junctors(value, s, path);
        rules(value, s, path, before);
    }

    /**
     * The CEL rules of a value that is otherwise valid (they read fields the schema vouched for);
     * not inside junctors (structural schemas have none there) nor for a partial object.
     */
    private void rules(JsonNode value, JSONSchemaProps s, String path, int before) {
        if (scope.structural() && !scope.patch() && s.getXKubernetesValidations() != null && problems.size() == before) {
            problems.addAll(CelRules.check(value, s.getXKubernetesValidations(), path));
        }
    }

    private static boolean hasType(JsonNode value, String type) {
        return switch (type) {
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            case "string" -> value.isTextual();
            case "boolean" -> value.isBoolean();
            case "number" -> value.isNumber();
            // Decoded from JSON, 3.0 is an integer to the API server as well.
            case "integer" -> value.isIntegralNumber()
                    || value.isFloatingPointNumber() && value.decimalValue().stripTrailingZeros().scale() <= 0;
            default -> throw new IllegalArgumentException("not an OpenAPI type: " + type);
        };
    }

    private void enumeration(JsonNode value, JSONSchemaProps s, String path) {
        if (s.getEnum() != null && !s.getEnum().isEmpty() && s.getEnum().stream().noneMatch(e -> same(e, value))) {
            problems.add(path + ": must be one of " + s.getEnum() + ", is " + describe(value));
        }
    }

    private void number(JsonNode value, JSONSchemaProps s, String path) {
        BigDecimal n = value.decimalValue();
        bound(n, s.getMinimum(), Boolean.TRUE.equals(s.getExclusiveMinimum()), 1, path);
        bound(n, s.getMaximum(), Boolean.TRUE.equals(s.getExclusiveMaximum()), -1, path);
        if (s.getMultipleOf() != null && n.remainder(BigDecimal.valueOf(s.getMultipleOf())).signum() != 0) {
            problems.add(path + ": must be a multiple of " + s.getMultipleOf() + ", is " + n);
        }
        // The API server does not check integer formats, but the operator's int32 field would not decode.
        if ("int32".equals(s.getFormat()) && !fits(n, BigInteger.valueOf(Integer.MIN_VALUE), BigInteger.valueOf(Integer.MAX_VALUE))
                || "int64".equals(s.getFormat()) && !fits(n, BigInteger.valueOf(Long.MIN_VALUE), BigInteger.valueOf(Long.MAX_VALUE))) {
            problems.add(path + ": " + n + " is out of the " + s.getFormat() + " range");
        }
    }

    private void bound(BigDecimal n, Double limit, boolean exclusive, int side, String path) {
        if (limit == null) {
            return;
        }
        int cmp = n.compareTo(BigDecimal.valueOf(limit));
        if (cmp * side < 0 || exclusive && cmp == 0) {
            problems.add(path + ": must be " + (side > 0 ? ">" : "<") + (exclusive ? "" : "=") + " "
                    + BigDecimal.valueOf(limit).stripTrailingZeros().toPlainString() + ", is " + n);
        }
    }

    private static boolean fits(BigDecimal n, BigInteger min, BigInteger max) {
        BigInteger whole = n.toBigInteger();
        return whole.compareTo(min) >= 0 && whole.compareTo(max) <= 0;
    }

    private void string(String text, JSONSchemaProps s, String path) {
        long length = text.codePointCount(0, text.length());
        if (s.getMinLength() != null && length < s.getMinLength()) {
            problems.add(path + ": must be at least " + s.getMinLength() + " characters long, is " + length);
        }
        if (s.getMaxLength() != null && length > s.getMaxLength()) {
            problems.add(path + ": must be at most " + s.getMaxLength() + " characters long, is " + length);
        }
        // Unanchored, as the API server's (Go RE2) patterns; the CRDs' patterns mean the same in Java.
        if (s.getPattern() != null && !Pattern.compile(s.getPattern()).matcher(text).find()) {
            problems.add(path + ": must match " + s.getPattern() + ", is \"" + text + "\"");
        }
        if (!format(text, s.getFormat())) {
            problems.add(path + ": \"" + text + "\" is no " + s.getFormat());
        }
    }

    /** The string formats the API server checks that occur in the CRDs; it ignores unknown ones, so do we. */
    private static boolean format(String text, String format) {
        try {
            switch (format == null ? "" : format) {
                case "date-time" -> OffsetDateTime.parse(text);
                case "byte" -> Base64.getDecoder().decode(text);
                default -> {
                }
            }
            return true;
        } catch (DateTimeParseException | IllegalArgumentException e) {
            return false;
        }
    }

    private void object(JsonNode object, JSONSchemaProps s, String path, Set<String> skip) {
        Map<String, JSONSchemaProps> properties = s.getProperties() == null ? Map.of() : s.getProperties();
        if (!scope.patch() && s.getRequired() != null) {
            s.getRequired().stream().filter(name -> !object.has(name) && !skip.contains(name))
                    .forEach(name -> problems.add(path + "." + name + ": required field missing"));
        }
        count(object.size(), s.getMinProperties(), s.getMaxProperties(), "properties", path);
        boolean embedded = Boolean.TRUE.equals(s.getXKubernetesEmbeddedResource());
        for (Iterator<Map.Entry<String, JsonNode>> fields = object.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = field.getKey();
            String at = path + "." + name;
            if (skip.contains(name) || scope.patch() && Manifests.isPatchDirective(name)) {
                continue;
            }
            if (properties.containsKey(name)) {
                value(field.getValue(), properties.get(name), at);
            } else if (additional(s.getAdditionalProperties()) != null) {
                value(field.getValue(), additional(s.getAdditionalProperties()), at);
            } else if (scope.structural() && !allowsUnknown(s) && !(embedded && IMPLICIT_FIELDS.contains(name))) {
                problems.add(at + ": unknown field");
            }
        }
    }

    private static JSONSchemaProps additional(JSONSchemaPropsOrBool additional) {
        return additional == null ? null : additional.getSchema();
    }

    private static boolean allowsUnknown(JSONSchemaProps s) {
        return Boolean.TRUE.equals(s.getXKubernetesPreserveUnknownFields())
                || s.getAdditionalProperties() != null && Boolean.TRUE.equals(s.getAdditionalProperties().getAllows());
    }

    private void array(JsonNode array, JSONSchemaProps s, String path) {
        count(array.size(), s.getMinItems(), s.getMaxItems(), "items", path);
        JSONSchemaPropsOrArray items = s.getItems();
        for (int i = 0; i < array.size(); i++) {
            JSONSchemaProps item = items == null ? null
                    : items.getSchema() != null ? items.getSchema()
                    : i < items.getJSONSchemas().size() ? items.getJSONSchemas().get(i) : null;
            if (item != null) {
                value(array.get(i), item, path + "[" + i + "]");
            }
        }
        String listType = s.getXKubernetesListType();
        if ("set".equals(listType) || Boolean.TRUE.equals(s.getUniqueItems())) {
            unique(array, path, item -> item);
        } else if ("map".equals(listType) && s.getXKubernetesListMapKeys() != null) {
            unique(array, path, item -> {
                Map<String, JsonNode> key = new HashMap<>();
                s.getXKubernetesListMapKeys().forEach(k -> key.put(k, item.path(k)));
                return key;
            });
        }
    }

    private void unique(JsonNode array, String path, Function<JsonNode, Object> key) {
        Map<Object, Integer> seen = new HashMap<>();
        for (int i = 0; i < array.size(); i++) {
            Integer first = seen.putIfAbsent(key.apply(array.get(i)), i);
            if (first != null) {
                problems.add(path + "[" + i + "]: duplicate of " + path + "[" + first + "]");
            }
        }
    }

    private void count(int size, Long min, Long max, String what, String path) {
        if (min != null && size < min) {
            problems.add(path + ": must have at least " + min + " " + what + ", has " + size);
        }
        if (max != null && size > max) {
            problems.add(path + ": must have at most " + max + " " + what + ", has " + size);
        }
    }

    private void junctors(JsonNode value, JSONSchemaProps s, String path) {
        if (s.getAllOf() != null) {
            s.getAllOf().forEach(branch -> problems.addAll(branch(value, branch, path)));
        }
        if (s.getAnyOf() != null && !s.getAnyOf().isEmpty()) {
            List<List<String>> results = s.getAnyOf().stream().map(branch -> branch(value, branch, path)).toList();
            if (results.stream().noneMatch(List::isEmpty)) {
                problems.add(path + ": matches none of its anyOf schemas: " + results);
            }
        }
        if (scope.patch()) {
            // oneOf and not tell variants apart by which fields are present; a partial object cannot.
            return;
        }
        if (s.getOneOf() != null && !s.getOneOf().isEmpty()) {
            List<List<String>> results = s.getOneOf().stream().map(branch -> branch(value, branch, path)).toList();
            long matched = results.stream().filter(List::isEmpty).count();
            if (matched != 1) {
                problems.add(path + ": must match exactly one of its oneOf schemas, matches " + matched
                        + (matched == 0 ? ": " + results : ""));
            }
        }
        if (s.getNot() != null && branch(value, s.getNot(), path).isEmpty()) {
            problems.add(path + ": must not match its \"not\" schema");
        }
    }

    /** JSON equality with numbers compared by value (an enum's 1 equals a manifest's 1.0). */
    private static boolean same(JsonNode a, JsonNode b) {
        return a.isNumber() && b.isNumber() ? a.decimalValue().compareTo(b.decimalValue()) == 0 : a.equals(b);
    }

    private static String describe(JsonNode value) {
        String type = value.isTextual() ? "string" : value.isIntegralNumber() ? "integer" : value.isNumber() ? "number"
                : value.isBoolean() ? "boolean" : value.isArray() ? "array" : value.isObject() ? "object" : "null";
        return value.isValueNode() ? type + " " + value : type;
    }
}
