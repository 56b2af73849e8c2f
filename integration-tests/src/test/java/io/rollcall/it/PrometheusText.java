package io.rollcall.it;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The samples of a Prometheus text exposition (format 0.0.4), as a scraper reads them.
 * Hand-written: Prometheus' Java libraries write this format but do not read it, and a test
 * needs only names, labels and values.
 */
record PrometheusText(List<Sample> samples) {

    record Sample(String name, Map<String, String> labels, double value) {
    }

    static PrometheusText scrape(Api api) {
        var response = api.get("/metrics");
        if (response.statusCode() != 200) {
            throw new AssertionError("GET /metrics: " + response.statusCode());
        }
        return parse(response.body());
    }

    static PrometheusText parse(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                samples.add(sample(line.strip()));
            }
        }
        return new PrometheusText(samples);
    }

    /** {@code name{label="value",...} value [timestamp]}; label values may hold escaped quotes and braces. */
    private static Sample sample(String line) {
        int i = 0;
        while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') {
            i++;
        }
        String name = line.substring(0, i);
        Map<String, String> labels = new LinkedHashMap<>();
        if (i < line.length() && line.charAt(i) == '{') {
            i++;
            while (line.charAt(i) != '}') {
                int eq = line.indexOf('=', i);
                String key = line.substring(i, eq).strip();
                StringBuilder value = new StringBuilder();
                int j = eq + 2; // past ="
                while (line.charAt(j) != '"') {
                    char c = line.charAt(j);
                    if (c == '\\') {
                        char next = line.charAt(++j);
                        value.append(next == 'n' ? '\n' : next);
                    } else {
                        value.append(c);
                    }
                    j++;
                }
                labels.put(key, value.toString());
                i = j + 1;
                if (line.charAt(i) == ',') {
                    i++;
                }
            }
            i++;
        }
        String[] rest = line.substring(i).strip().split("\\s+");
        return new Sample(name, labels, number(rest[0]));
    }

    private static double number(String text) {
        return switch (text) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(text);
        };
    }

    Set<String> names() {
        Set<String> names = new TreeSet<>();
        samples.forEach(s -> names.add(s.name()));
        return names;
    }

    /** The samples named {@code name} whose labels include {@code labels} (name, value, name, value …). */
    List<Sample> find(String name, String... labels) {
        return samples.stream().filter(s -> s.name().equals(name) && matches(s.labels(), labels)).toList();
    }

    /** The sum of the samples {@link #find} finds; fails when there is none. */
    double value(String name, String... labels) {
        List<Sample> found = find(name, labels);
        if (found.isEmpty()) {
            throw new AssertionError("no sample " + name + " " + List.of(labels) + " on /metrics");
        }
        return found.stream().mapToDouble(Sample::value).sum();
    }

    private static boolean matches(Map<String, String> actual, String[] wanted) {
        for (int k = 0; k < wanted.length; k += 2) {
            if (!wanted[k + 1].equals(actual.get(wanted[k]))) {
                return false;
            }
        }
        return true;
    }
}
