package dev.modelgate.serving.databricks;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * A pandas-style frame as MLflow's formats carry it: column names (empty when the caller sent none) and rows
 * of scalar JSON values, every row as wide as the columns. A frame read from CSV holds its cells as text
 * ({@code textCells}), parsed only once the type of the model input each column feeds is known. Immutable.
 */
record DataFrame(List<String> columns, List<List<JsonNode>> rows, boolean textCells) {
    DataFrame {
        columns = List.copyOf(columns);
        rows = List.copyOf(rows);
    }
}
