package io.rollcall.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A plain text table: left-aligned columns as wide as their widest cell. */
final class Table {

    private final String[] header;
    private final List<String[]> rows = new ArrayList<>();

    Table(String... header) {
        this.header = header;
    }

    Table row(String... cells) {
        rows.add(cells);
        return this;
    }

    void print(PrintWriter out) {
        int[] width = new int[header.length];
        for (int i = 0; i < header.length; i++) {
            width[i] = header[i].length();
            for (String[] row : rows) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        line(out, header, width);
        rows.forEach(row -> line(out, row, width));
        out.flush();
    }

    private static void line(PrintWriter out, String[] cells, int[] width) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            text.append(i == cells.length - 1 ? cells[i] : String.format("%-" + width[i] + "s  ", cells[i]));
        }
        out.println(text.toString().stripTrailing());
    }

    static String number(JsonNode value, int digits) {
        return value == null || value.isNull() || value.isMissingNode() ? "–"
                : String.format(Locale.ROOT, "%,." + digits + "f", value.asDouble());
    }

    static String percent(JsonNode value) {
        return value == null || value.isNull() || value.isMissingNode() ? "–"
                : String.format(Locale.ROOT, "%.2f %%", 100 * value.asDouble());
    }
}
