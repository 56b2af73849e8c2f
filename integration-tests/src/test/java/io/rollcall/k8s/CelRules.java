package io.rollcall.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A CRD's CEL rules ({@code x-kubernetes-validations}) on one value, as the API server evaluates
 * them when an object is created: {@code self} is the value, objects are maps, and a rule that
 * refers to {@code oldSelf} (a transition rule) is left out, since it only runs on an update.
 * Google's CEL for Java with the standard environment; the rules in the vendored CRDs use no
 * function of Kubernetes' own CEL libraries (a rule that did would fail to compile here, loudly).
 */
final class CelRules {

    private static final Cel CEL = CelFactory.standardCelBuilder()
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS).addVar("self", SimpleType.DYN).build();
    private static final Map<String, CelRuntime.Program> PROGRAMS = new ConcurrentHashMap<>();

    private CelRules() {
    }

    /** Every rule that {@code value} breaks, as "path: message". */
    static List<String> check(JsonNode value, List<ValidationRule> rules, String path) {
        List<String> problems = new ArrayList<>();
        for (ValidationRule rule : rules) {
            if (rule.getRule().contains("oldSelf")) {
                continue;
            }
            String at = path + (rule.getFieldPath() == null ? "" : rule.getFieldPath());
            try {
                if (!Boolean.TRUE.equals(PROGRAMS.computeIfAbsent(rule.getRule(), CelRules::compile)
                        .eval(Map.of("self", toCel(value))))) {
                    problems.add(at + ": " + (rule.getMessage() == null ? "fails " + rule.getRule() : rule.getMessage()));
                }
            } catch (CelEvaluationException e) {
                problems.add(at + ": cannot evaluate " + rule.getRule() + ": " + e.getMessage());
            }
        }
        return problems;
    }

    private static CelRuntime.Program compile(String rule) {
        try {
            return CEL.createProgram(CEL.compile(rule).getAst());
        } catch (CelValidationException | CelEvaluationException e) {
            throw new IllegalStateException("CEL rule not evaluable here: " + rule, e);
        }
    }

    /** JSON as CEL sees it; a null field is left out, as has() then reads it. */
    private static Object toCel(JsonNode node) {
        if (node.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            node.fields().forEachRemaining(f -> {
                if (!f.getValue().isNull()) {
                    map.put(f.getKey(), toCel(f.getValue()));
                }
            });
            return map;
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>();
            node.forEach(item -> list.add(toCel(item)));
            return list;
        }
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return node.longValue();
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        return node.isBoolean() ? (Object) node.booleanValue() : node.asText();
    }
}
