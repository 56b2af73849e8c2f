package io.rollcall.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Built-in kinds (StatefulSet, Service, ConfigMap, …) and object metadata against fabric8's
 * typed model, which is generated from Kubernetes' own OpenAPI: a field the model does not
 * know lands in an {@code additionalProperties} map, which is walked here through the whole
 * object. This checks field names (and, by deserialisation, types), not required fields or
 * value ranges.
 */
final class KubernetesModel {


    private KubernetesModel() {
    }

    /** Unknown fields of a built-in kind, as ".path: problem"; "no schema" when fabric8 has no model for it. */
    static List<String> problems(JsonNode tree, boolean patch) {
        Object typed = Serialization.unmarshal(tree.toString());
        if (typed instanceof GenericKubernetesResource) {
            return List.of("no schema for " + tree.path("apiVersion").asText() + " " + tree.path("kind").asText()
                    + " (neither a vendored CRD nor a fabric8 model)");
        }
        return unknownFields(typed, "", patch);
    }

    /** Fields {@code typed} (a fabric8 model object) kept aside as unknown, below {@code path}. */
    static List<String> unknownFields(Object typed, String path, boolean patch) {
        List<String> out = new ArrayList<>();
        walk(typed, path, patch, out, new IdentityHashMap<>(), 0);
        return out;
    }

    private static void walk(Object value, String path, boolean patch, List<String> out,
                             IdentityHashMap<Object, Boolean> seen, int depth) {
        if (value == null || depth > 40 || seen.put(value, Boolean.TRUE) != null) {
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((key, item) -> walk(item, path + "." + key, patch, out, seen, depth + 1));
            return;
        }
        if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                walk(item, path + "[" + i++ + "]", patch, out, seen, depth + 1);
            }
            return;
        }
        if (!value.getClass().getPackageName().startsWith("io.fabric8") || value.getClass().isEnum()) {
            return;
        }
        for (Method getter : value.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
                    || !getter.getName().startsWith("get") || getter.getName().equals("getClass")) {
                continue;
            }
            Object field;
            try {
                field = getter.invoke(value);
            } catch (ReflectiveOperationException | RuntimeException e) {
                continue;
            }
            if (getter.getName().equals("getAdditionalProperties")) {
                if (field instanceof Map<?, ?> extra) {
                    new TreeSet<>(extra.keySet().stream().map(Object::toString).toList()).stream()
                            .filter(key -> !(patch && Manifests.isPatchDirective(key)))
                            .forEach(key -> out.add(path + "." + key + ": unknown field"));
                }
                continue;
            }
            walk(field, path + "." + decapitalize(getter.getName().substring(3)), patch, out, seen, depth + 1);
        }
    }

    private static String decapitalize(String name) {
        return name.isEmpty() ? name : Character.toLowerCase(name.charAt(0)) + name.substring(1);
    }
}
