package dev.modelgate.console;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HtmlTest {
    @Test
    void markupCharactersBecomeEntitiesInTextAndAttributes() {
        assertThat(Html.escape("<img src=x onerror=\"alert('1')\"> & co")).isEqualTo(
                "&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt; &amp; co");
    }

    @Test
    void nullIsEmptyAndPlainTextIsUnchanged() {
        assertThat(Html.escape(null)).isEmpty();
        assertThat(Html.escape("house-price_2.onnx")).isEqualTo("house-price_2.onnx");
    }
}
