package dev.modelgate.console;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TryItBodyTest {
    @Test
    void knownColumnsGiveADataframeSplitWithOneRowOfOnes() {
        String body = TryItBody.from(ConsoleFixtures.json(ConsoleFixtures.HOUSE_PRICE)
                .at("/config/served_entities/0/signature"));
        assertThat(ConsoleFixtures.json(body)).isEqualTo(ConsoleFixtures.json(
                "{\"dataframe_split\": {\"columns\": [\"sqft\", \"rooms\", \"age\", \"distance\"], \"data\": [[1, 1, 1, 1]]}}"));
    }

    @Test
    void perColumnInputsTakeEachColumnsOwnType() {
        String body = TryItBody.from(ConsoleFixtures.json("""
                {"dataframe_columns": ["city", "rooms", "garden"],
                 "inputs": [{"name": "city", "type": "tensor(string)", "shape": [-1, 1]},
                            {"name": "rooms", "type": "tensor(int64)", "shape": [-1, 1]},
                            {"name": "garden", "type": "tensor(bool)", "shape": [-1, 1]}],
                 "outputs": []}"""));
        assertThat(ConsoleFixtures.json(body).at("/dataframe_split/data")).isEqualTo(ConsoleFixtures.json("[[\"text\", 1, true]]"));
    }

    @Test
    void unknownColumnsGiveNamedInputsShapedAsTheSignatureSays() {
        String body = TryItBody.from(ConsoleFixtures.json("""
                {"inputs": [{"name": "pixels", "type": "tensor(float)", "shape": [-1, 2, 3]}], "outputs": []}"""));
        assertThat(ConsoleFixtures.json(body)).isEqualTo(ConsoleFixtures.json(
                "{\"inputs\": {\"pixels\": [[[1, 1, 1], [1, 1, 1]]]}}"));
    }
}
