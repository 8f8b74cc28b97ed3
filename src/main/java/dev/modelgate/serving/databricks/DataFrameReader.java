package dev.modelgate.serving.databricks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.modelgate.serving.ServingError;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads {@code dataframe_split}, {@code dataframe_records} and CSV bodies into a {@link DataFrame}. Stateless. */
final class DataFrameReader {
    private DataFrameReader() {
    }

    /** {@code {"columns": [...], "data": [[...], ...], "index": [...]}}; columns and index are optional. */
    static DataFrame split(JsonNode split) {
        if (!split.isObject()) {
            throw ServingError.badRequest("dataframe_split must be an object with 'columns' and 'data'");
        }
        for (Iterator<String> names = split.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!Set.of("columns", "data", "index").contains(name)) {
                throw ServingError.badRequest("dataframe_split has an unknown field '" + name + "'");
            }
        }
        List<String> columns = new ArrayList<>();
        JsonNode columnNodes = split.get("columns");
        if (columnNodes != null) {
            if (!columnNodes.isArray()) {
                throw ServingError.badRequest("dataframe_split.columns must be an array of strings");
            }
            for (JsonNode c : columnNodes) {
                if (!c.isTextual()) {
                    throw ServingError.badRequest("dataframe_split.columns must be an array of strings");
                }
                columns.add(c.textValue());
            }
            requireUnique(columns);
        }
        JsonNode data = split.get("data");
        if (data == null || !data.isArray()) {
            throw ServingError.badRequest("dataframe_split.data must be an array of rows");
        }
        List<List<JsonNode>> rows = new ArrayList<>();
        int width = columns.isEmpty() ? -1 : columns.size();
        for (JsonNode row : data) {
            if (!row.isArray()) {
                throw ServingError.badRequest("dataframe_split.data row " + rows.size() + " is not an array");
            }
            if (width < 0) {
                width = row.size();
            }
            if (row.size() != width) {
                throw ServingError.badRequest("dataframe_split.data row " + rows.size() + " has " + row.size()
                        + " values, expected " + width);
            }
            List<JsonNode> values = new ArrayList<>(row.size());
            row.forEach(values::add);
            rows.add(values);
        }
        return new DataFrame(columns, rows, false);
    }

    /** {@code [{"col": value, ...}, ...]}: the first record's keys fix the column order. */
    static DataFrame records(JsonNode records) {
        if (!records.isArray()) {
            throw ServingError.badRequest("dataframe_records must be an array of objects");
        }
        List<String> columns = new ArrayList<>();
        List<List<JsonNode>> rows = new ArrayList<>();
        for (JsonNode record : records) {
            if (!record.isObject()) {
                throw ServingError.badRequest("dataframe_records[" + rows.size() + "] is not an object");
            }
            if (rows.isEmpty()) {
                record.fieldNames().forEachRemaining(columns::add);
            }
            Set<String> keys = new LinkedHashSet<>();
            record.fieldNames().forEachRemaining(keys::add);
            if (!keys.equals(new LinkedHashSet<>(columns))) {
                throw ServingError.badRequest("dataframe_records[" + rows.size() + "] has columns " + keys
                        + ", but the first record has " + columns);
            }
            List<JsonNode> values = new ArrayList<>(columns.size());
            for (String column : columns) {
                values.add(record.get(column));
            }
            rows.add(values);
        }
        return new DataFrame(columns, rows, false);
    }

    /** CSV with a header row; every cell stays text (an empty field is empty text) until its column's type is known. */
    static DataFrame csv(String text) {
        CSVFormat format = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true)
                .setIgnoreSurroundingSpaces(true).setIgnoreEmptyLines(true).get();
        try (CSVParser parser = CSVParser.parse(new StringReader(text), format)) {
            List<String> columns = parser.getHeaderNames();
            if (columns.isEmpty()) {
                throw ServingError.badRequest("the CSV body needs a header row naming the columns");
            }
            requireUnique(columns);
            List<List<JsonNode>> rows = new ArrayList<>();
            for (CSVRecord record : parser) {
                if (record.size() != columns.size()) {
                    throw ServingError.badRequest("CSV line " + record.getRecordNumber() + " has " + record.size()
                            + " values, the header names " + columns.size() + " columns");
                }
                List<JsonNode> values = new ArrayList<>(columns.size());
                for (String cell : record) {
                    values.add(JsonNodeFactory.instance.textNode(cell));
                }
                rows.add(values);
            }
            return new DataFrame(columns, rows, true);
        } catch (IOException | IllegalArgumentException | IllegalStateException e) {
            throw ServingError.badRequest("malformed CSV: " + e.getMessage());
        }
    }

    private static void requireUnique(List<String> columns) {
        if (new LinkedHashSet<>(columns).size() != columns.size()) {
            throw ServingError.badRequest("column names must be unique: " + columns);
        }
    }

    static Map<String, Integer> positions(List<String> columns) {
        Map<String, Integer> positions = new java.util.HashMap<>();
        for (int i = 0; i < columns.size(); i++) {
            positions.put(columns.get(i), i);
        }
        return positions;
    }
}
